package org.distribank.app.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.distribank.app.client.AccountView;
import org.distribank.app.client.AuditResult;
import org.distribank.app.client.BankApiException;
import org.distribank.app.client.ConsentGrant;
import org.distribank.app.client.ConsentView;
import org.distribank.app.client.CustomerClient;
import org.distribank.app.client.HolderForm;
import org.distribank.app.client.LinkedAccount;
import org.distribank.app.client.Me;
import org.distribank.app.client.PixKeyView;
import org.distribank.app.client.StatementEntry;
import org.distribank.app.client.TransactionResult;
import org.distribank.app.client.TransferLeg;
import org.distribank.app.ui.DesktopTestKit;
import org.distribank.bank.identity.Cpf;
import org.distribank.consortium.LinkMode;
import org.distribank.consortium.LinkState;
import org.distribank.consortium.entity.EventType;
import org.distribank.consortium.entity.ProtocolEvent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The app's client and services against a real embedded consortium of three banks. */
class DesktopServicesTest {

    @TempDir
    static Path dir;
    private static EmbeddedConsortium consortium;
    private static int people;

    @BeforeAll
    static void launch() throws Exception {
        consortium = EmbeddedConsortium.launch(DesktopTestKit.QUICK.options(3, dir.resolve("data"), false, false));
    }

    @AfterAll
    static void stop() {
        if (consortium != null) {
            consortium.close();
        }
    }

    private static String newCpf() {
        return Cpf.withCheckDigits(String.format("%09d", 310_000_000 + ++people * 7_919)).formatted();
    }

    private static HolderForm person(String name, String cpf, String user) {
        return new HolderForm(name, cpf, user, "password-" + user, null, null);
    }

    /** Opens a funded PERSONAL account at {@code bank}; the returned client is signed in there. */
    private static CustomerClient funded(String bank, String name, String cpf, String user, long cents) {
        CustomerClient c = consortium.customer(bank);
        AccountView a = c.openPersonal(person(name, cpf, user));
        c.signIn(user, "password-" + user);
        if (cents > 0) {
            assertThat(c.deposit(null, a.account(), cents).committed()).isTrue();
        }
        return c;
    }

    private static long total() {
        ConsortiumMonitor m = new ConsortiumMonitor(consortium, 1_000, 10);
        return m.audit().total();
    }

    @Test
    void aCustomerMovesMoneyAcrossBanksAllOrNothingAndSeesItInTheStatement() {
        String cpf = newCpf();
        CustomerClient atB1 = funded("b1", "Maria Souza", cpf, "maria-b1", 50_000);
        CustomerClient atB2 = funded("b2", "Maria Souza", cpf, "maria-b2", 20_000);
        CustomerClient joao = funded("b3", "Joao Lima", newCpf(), "joao-b3", 0);
        String m1 = atB1.me().accounts().get(0).account();
        String m2 = atB2.me().accounts().get(0).account();
        AccountView j = joao.me().accounts().get(0);

        // the same CPF at b2 is nothing at b1 until b2 consents and b1 links it (API.md v1.1)
        assertThat(atB1.me().linked()).isEmpty();
        BankApiException refused = org.junit.jupiter.api.Assertions.assertThrows(BankApiException.class,
                () -> atB1.transfer(null, List.of(TransferLeg.toAccount(
                        new org.distribank.app.client.AccountRef("b2", m2), j.ref(), 1))));
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.code()).isEqualTo("NO_CONSENT");
        ConsentGrant grant = atB2.createConsent(m2, "b1", 21_000, null, true);
        assertThat(grant.toString()).doesNotContain(grant.token()); // a secret: never in a log line
        assertThat(grant.consent()).satisfies(c -> {
            assertThat(c.bank()).isEqualTo("b2");
            assertThat(c.grantee()).isEqualTo("b1");
            assertThat(c.remaining()).isEqualTo(21_000);
            assertThat(c.status()).isEqualTo("ACTIVE");
        });
        LinkedAccount linked = atB1.linkAccount(grant.token());
        assertThat(linked.ref()).isEqualTo(new org.distribank.app.client.AccountRef("b2", m2));
        assertThat(linked.consentId()).isEqualTo(grant.consent().id());
        Me me = atB1.me();
        assertThat(me.linked()).singleElement().satisfies(l -> {
            assertThat(l.remaining()).isEqualTo(21_000);
            assertThat(l.status()).isEqualTo("ACTIVE");
        });

        TransactionResult ok = atB1.transfer(null, List.of(
                TransferLeg.toAccount(new org.distribank.app.client.AccountRef("b1", m1), j.ref(), 30_000),
                TransferLeg.toAccount(new org.distribank.app.client.AccountRef("b2", m2), j.ref(), 15_000)));
        assertThat(ok.status()).isEqualTo("COMMITTED");
        assertThat(ok.origin()).isEqualTo("b1");
        assertThat(ok.clock()).containsKeys("b1", "b2", "b3");
        assertThat(joao.account(j.account()).balance()).isEqualTo(45_000);
        List<StatementEntry> st = joao.statement(j.account());
        assertThat(st).last().satisfies(e -> {
            assertThat(e.transaction()).isEqualTo(ok.id());
            assertThat(e.balanceAfter()).isEqualTo(45_000);
        });

        TransactionResult short1 = atB1.transfer(null, List.of(
                TransferLeg.toAccount(new org.distribank.app.client.AccountRef("b1", m1), j.ref(), 1_000),
                TransferLeg.toAccount(new org.distribank.app.client.AccountRef("b2", m2), j.ref(), 5_001)));
        assertThat(short1.status()).isEqualTo("ABORTED");
        assertThat(short1.reason()).isEqualTo("INSUFFICIENT_FUNDS");
        assertThat(short1.failedLeg()).isEqualTo(1);
        assertThat(atB1.account(m1).balance()).isEqualTo(20_000);
        assertThat(joao.account(j.account()).balance()).isEqualTo(45_000);

        // the same id again returns the same result and moves nothing
        assertThat(atB1.transaction(ok.id()).status()).isEqualTo("COMMITTED");
        assertThat(atB1.me().linked()).singleElement().satisfies(l -> assertThat(l.remaining()).isEqualTo(6_000));
        assertThat(atB2.deposit(null, m2, 10_000).committed()).isTrue();
        TransactionResult over = atB1.transfer(null, List.of(
                TransferLeg.toAccount(new org.distribank.app.client.AccountRef("b2", m2), j.ref(), 6_001)));
        assertThat(over.reason()).isEqualTo("CONSENT_LIMIT");

        // revoked at b2, unlinked at b1
        assertThat(atB2.myConsents()).extracting(ConsentView::id).containsExactly(grant.consent().id());
        atB2.revokeConsent(grant.consent().id());
        assertThat(atB2.myConsents()).singleElement().satisfies(c -> assertThat(c.status()).isEqualTo("REVOKED"));
        // b1 learns of the revocation when it delivers it, in the total order
        await().atMost(Duration.ofSeconds(10)).until(() -> atB1.me().linked().isEmpty());
        assertThatThrownBy(() -> atB1.unlinkAccount(new org.distribank.app.client.AccountRef("b2", m2)))
                .isInstanceOf(BankApiException.class)
                .satisfies(e -> assertThat(((BankApiException) e).status()).isEqualTo(404));
    }

    @Test
    void pixKeysAreUniqueInTheConsortiumAndResolveAnywhere() {
        // an EMAIL key is the e-mail its holder registered at opening
        CustomerClient ana = consortium.customer("b2");
        ana.openPersonal(new HolderForm("Ana Paula Dias", newCpf(), "ana-b2", "password-ana-b2",
                "ana.dias@example.com", null));
        ana.signIn("ana-b2", "password-ana-b2");
        assertThat(ana.deposit(null, ana.me().accounts().get(0).account(), 10_000).committed()).isTrue();
        // Bia registered the same e-mail at b3: the key is hers to ask for, but taken in the consortium
        CustomerClient bia = consortium.customer("b3");
        bia.openPersonal(new HolderForm("Bia Costa", newCpf(), "bia-b3", "password-bia-b3", "ana.dias@example.com",
                null));
        bia.signIn("bia-b3", "password-bia-b3");
        String account = ana.me().accounts().get(0).account();
        PixKeyView key = ana.addPixKey(account, "EMAIL", "ana.dias@example.com");
        assertThat(ana.myPixKeys()).extracting(PixKeyView::key).contains(key.key());
        PixKeyView resolved = bia.resolvePixKey("ana.dias@example.com");
        assertThat(resolved.bank()).isEqualTo("b2");
        assertThat(resolved.name()).isNotEqualTo("Ana Paula Dias").startsWith("A");
        assertThatThrownBy(() -> bia.addPixKey(bia.me().accounts().get(0).account(), "EMAIL", "ana.dias@example.com"))
                .isInstanceOf(BankApiException.class).satisfies(e -> assertThat(((BankApiException) e).status()).isEqualTo(409));
        CustomerClient payer = funded("b1", "Caio Prado", newCpf(), "caio-b1", 5_000);
        String payerAccount = payer.me().accounts().get(0).account();
        TransactionResult r = payer.transfer(null, List.of(TransferLeg.toPixKey(
                new org.distribank.app.client.AccountRef("b1", payerAccount), "ana.dias@example.com", 1_000)));
        assertThat(r.committed()).isTrue();
        assertThat(ana.account(account).balance()).isEqualTo(11_000);
        ana.removePixKey(key.key());
        // b3 forgets the key when it delivers the removal, in the total order: not necessarily before b2 answers
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThatThrownBy(
                () -> bia.resolvePixKey("ana.dias@example.com")).isInstanceOf(BankApiException.class)
                .satisfies(e -> assertThat(((BankApiException) e).status()).isEqualTo(404)));
    }

    @Test
    void signInFailuresReadTheSameAndSignOutEndsTheSession() {
        CustomerClient c = consortium.customer("b1");
        c.openPersonal(person("Carla Nunes", newCpf(), "carla-b1"));
        BankApiException wrong = org.junit.jupiter.api.Assertions.assertThrows(BankApiException.class,
                () -> c.signIn("carla-b1", "not-her-password"));
        BankApiException unknown = org.junit.jupiter.api.Assertions.assertThrows(BankApiException.class,
                () -> c.signIn("nobody-at-all", "not-her-password"));
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(unknown.getMessage()).isEqualTo(wrong.getMessage());
        c.signIn("carla-b1", "password-carla-b1");
        c.signOut();
        assertThatThrownBy(c::me).isInstanceOf(BankApiException.class)
                .satisfies(e -> assertThat(((BankApiException) e).status()).isEqualTo(401));
    }

    @Test
    void theMonitorSeesEveryBankAndFollowsATransferThroughTheEventStreams() {
        Map<String, BankStatus> statuses = new ConcurrentHashMap<>();
        List<ProtocolEvent> events = new CopyOnWriteArrayList<>();
        try (ConsortiumMonitor m = new ConsortiumMonitor(consortium, 200, 5_000)) {
            m.addListener(new ConsortiumMonitor.Listener() {
                @Override
                public void status(BankStatus s) {
                    statuses.put(s.bank(), s);
                }

                @Override
                public void event(ProtocolEvent e) {
                    events.add(e);
                }
            });
            m.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> statuses.size() == 3
                    && statuses.values().stream().allMatch(BankStatus::reachable));
            // the streams are connected once a bank's own events come in; a deposit makes some
            CustomerClient c = funded("b3", "Davi Rocha", newCpf(), "davi-b3", 0);
            String acc = c.me().accounts().get(0).account();
            AtomicReference<String> id = new AtomicReference<>();
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                TransactionResult r = c.deposit(null, acc, 100);
                id.set(r.id());
                return events.stream().anyMatch(e -> r.id().equals(e.opId()) && e.type() == EventType.COMMIT
                        && e.self().equals("b1"));
            });
            await().atMost(Duration.ofSeconds(10)).until(() -> events.stream().filter(e -> id.get().equals(e.opId())
                    && e.type() == EventType.DELIVER).map(ProtocolEvent::self).distinct().count() == 3);
            assertThat(m.eventLog().toShiViz()).contains(id.get());
            ProtocolEvent commit = events.stream().filter(e -> id.get().equals(e.opId())
                    && e.type() == EventType.COMMIT).findFirst().orElseThrow();
            assertThat(commit.clock().entries()).containsKeys("b1", "b2", "b3");
            await().atMost(Duration.ofSeconds(5)).until(() -> statuses.values().stream().allMatch(s ->
                    s.snapshot() != null && s.snapshot().peers().stream().allMatch(p -> p.online())));
        }
    }

    @Test
    void theLoadGeneratorCommitsTransfersAndConservesMoney() throws Exception {
        long before = total();
        List<LoadGenerator.Progress> reports = new CopyOnWriteArrayList<>();
        LoadGenerator g = new LoadGenerator(consortium, new LoadGenerator.Settings(2, 0, 2), reports::add);
        g.start();
        g.join(60_000);
        LoadGenerator.Progress last = reports.get(reports.size() - 1);
        assertThat(last.done()).isTrue();
        assertThat(last.error()).isNull();
        assertThat(last.committed()).isPositive();
        assertThat(last.failed()).isZero();
        assertThat(last.p50Micros()).isPositive().isLessThanOrEqualTo(last.p99Micros());
        assertThat(reports).anySatisfy(p -> assertThat(p.fraction()).isBetween(0.0, 1.0));
        // transfers move money between accounts: only the setup's deposits change the total
        AuditResult after = new ConsortiumMonitor(consortium, 1_000, 10).audit();
        assertThat(after.total() - before).isEqualTo(2L * 3 * LoadGenerator.FUNDING_CENTS);
    }

    @Test
    void linksAreListedAndCanBeSlowedAndRestored() {
        org.distribank.app.client.OperatorClient b1 = consortium.operator("b1").orElseThrow();
        assertThat(b1.links()).extracting(org.distribank.app.client.LinkState::peer,
                org.distribank.app.client.LinkState::state).containsExactly(
                org.assertj.core.groups.Tuple.tuple("b2", "UP"), org.assertj.core.groups.Tuple.tuple("b3", "UP"));
        assertThat(b1.setLink("b3", "SLOW", 40).delayMs()).isEqualTo(40);
        assertThat(b1.links()).anySatisfy(l -> {
            assertThat(l.peer()).isEqualTo("b3");
            assertThat(l.state()).isEqualTo("SLOW");
        });
        assertThatThrownBy(() -> b1.setLink("b1", "CUT", 0)).isInstanceOf(BankApiException.class)
                .satisfies(e -> assertThat(((BankApiException) e).status()).isEqualTo(404));
        assertThat(b1.setLink("b3", "UP", 0).state()).isEqualTo("UP");
    }

    @Test
    void theTypedLinkControlsSlowAndRestoreABanksOutboundLink() {
        LinkControls links = new OperatorLinkControls(consortium);
        LinkControls.Direction b2ToB3 = new LinkControls.Direction("b2", "b3");
        assertThat(links.canAsk("b2")).isTrue();
        assertThat(links.set(b2ToB3, LinkMode.SLOW, 40)).isEqualTo(new LinkState("b3", LinkMode.SLOW, 40));
        assertThat(links.links("b2")).contains(new LinkState("b3", LinkMode.SLOW, 40));
        assertThat(links.links("b3")).doesNotContain(new LinkState("b2", LinkMode.SLOW, 40));
        assertThat(links.set(b2ToB3, LinkMode.UP, 0)).isEqualTo(new LinkState("b3", LinkMode.UP, 0));
        assertThat(links.links("b2")).allMatch(l -> l.mode() == LinkMode.UP);
    }

    @Test
    void connectingByUrlFindsEveryBankWithTheTokenAndSaysWhyNot() {
        String url = consortium.banks().get(1).url();
        // each bank has its own operator token: the one of the bank at that URL
        RemoteConsortium remote = RemoteConsortium.connect(List.of(url), consortium.operatorToken("b2").orElseThrow());
        assertThat(remote.banks()).extracting(BankRef::id).containsExactly("b1", "b2", "b3");
        assertThat(remote.banks()).extracting(BankRef::url).isEqualTo(consortium.banks().stream().map(BankRef::url).toList());
        assertThatThrownBy(() -> RemoteConsortium.connect(List.of(url), "wrong-token"))
                .isInstanceOf(BankApiException.class)
                .satisfies(e -> assertThat(((BankApiException) e).status()).isEqualTo(401));
        assertThatThrownBy(() -> RemoteConsortium.connect(List.of("http://127.0.0.1:1"), null))
                .isInstanceOf(BankApiException.class).hasMessageContaining("127.0.0.1:1");
        // one bank's token opens that bank's operator API only; the launcher's line (or b1=... b2=...) opens each
        assertThat(remote.operator("b2").orElseThrow().consortium().peers()).hasSize(3);
        assertThatThrownBy(() -> remote.operator("b3").orElseThrow().consortium())
                .isInstanceOf(BankApiException.class)
                .satisfies(e -> assertThat(((BankApiException) e).status()).isEqualTo(401));
        for (String tokens : List.of(consortium.running().toJsonLine(), "b1=" + consortium.operatorToken("b1").orElseThrow()
                + " b2=" + consortium.operatorToken("b2").orElseThrow() + ",b3=" + consortium.operatorToken("b3").orElseThrow())) {
            RemoteConsortium all = RemoteConsortium.connect(List.of(url), tokens);
            for (BankRef b : all.banks()) {
                assertThat(all.operator(b.id()).orElseThrow().consortium().self()).isEqualTo(b.id());
            }
        }
        RemoteConsortium noToken = RemoteConsortium.connect(List.of(url), " ");
        assertThat(noToken.operatorToken()).isEmpty();
        assertThat(noToken.operator(noToken.banks().get(0).id())).isEmpty();
    }
}
