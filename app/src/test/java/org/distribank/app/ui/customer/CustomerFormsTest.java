package org.distribank.app.ui.customer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.distribank.app.client.AccountRef;
import org.distribank.app.client.CustomerClient;
import org.distribank.app.client.TransactionResult;
import org.distribank.app.client.TransferLeg;
import org.distribank.app.service.BankRef;
import org.distribank.app.ui.common.UiTasks;
import org.distribank.bank.pix.PixKeyType;
import org.junit.jupiter.api.Test;

/** The customer window's rules that need no bank: form validation, the transfer builder, outcome sentences. */
class CustomerFormsTest {

    static final List<BankRef> BANKS = List.of(new BankRef("b1", "Bank 1", "http://127.0.0.1:9"),
            new BankRef("b2", "Bank 2", "http://127.0.0.1:9"), new BankRef("b3", "Bank 3", "http://127.0.0.1:9"));

    /** A window whose bank is never called (nothing here sends). */
    private static CustomerViewModel window() {
        return new CustomerViewModel(BANKS.get(0), BANKS, id -> new CustomerClient(id, "http://127.0.0.1:9"),
                UiTasks.direct(), CustomerViewModel.Start.OPEN_ACCOUNT);
    }

    @Test
    void cpfAndCnpjNeedTheirFormatAndCheckDigits() {
        assertThat(Validation.cpf("529.982.247-25")).isNull();
        assertThat(Validation.cpf("52998224725")).isNull();
        assertThat(Validation.cpf("")).isEqualTo("Enter the CPF.");
        assertThat(Validation.cpf("529.982.247-26")).contains("check digits");
        assertThat(Validation.cpf("111.111.111-11")).contains("check digits");
        assertThat(Validation.cpf("5299822472")).contains("11 digits");
        assertThat(Validation.cpf("529x982.247-25")).contains("11 digits");

        assertThat(Validation.cnpj("11.222.333/0001-81")).isNull();
        assertThat(Validation.cnpj("11222333000181")).isNull();
        assertThat(Validation.cnpj("12.ABC.345/01DE-35")).isNull(); // the alphanumeric CNPJ
        assertThat(Validation.cnpj("11.222.333/0001-82")).contains("check digits");
        assertThat(Validation.cnpj("11.222.333/0001")).contains("14 characters");
        assertThat(Validation.cnpj(" ")).isEqualTo("Enter the CNPJ.");
    }

    @Test
    void passwordsUsernamesAndOptionalFields() {
        assertThat(Validation.password("")).contains("at least 8");
        assertThat(Validation.password("1234567")).isEqualTo("A password has at least 8 characters (7 so far).");
        assertThat(Validation.password("12345678")).isNull();
        assertThat(Validation.password("é".repeat(37))).contains("72 bytes"); // 74 bytes in UTF-8
        assertThat(Validation.username("ma")).contains("3 to 64");
        assertThat(Validation.username("maria souza")).contains("3 to 64");
        assertThat(Validation.username("maria.souza")).isNull();
        assertThat(Validation.email("")).isNull();
        assertThat(Validation.email("maria@example")).contains("e-mail");
        assertThat(Validation.email("maria@example.com")).isNull();
        assertThat(Validation.phone("")).isNull();
        assertThat(Validation.phone("11 98765-4321")).contains("+5511987654321");
        assertThat(Validation.phone("+55 11 98765-4321")).isNull();
        assertThat(Validation.name("  ")).isEqualTo("Enter the full name.");
    }

    @Test
    void amountsAreMoneyTypedByPeople() {
        assertThat(Validation.amount("10,50")).isNull();
        assertThat(Validation.amount("R$ 1.234,56")).isNull();
        assertThat(Validation.amount("")).isEqualTo("Enter an amount.");
        assertThat(Validation.amount("0")).contains("more than zero");
        assertThat(Validation.amount("-5")).isNotNull();
        assertThat(Validation.amount("1,234")).contains("two decimal places");
        assertThat(Validation.amount("ten")).isNotNull();
    }

    @Test
    void pixKeysNeedAValueOnlyForEmailAndPhone() {
        assertThat(Validation.pixValue(PixKeyType.RANDOM, "")).isNull();
        assertThat(Validation.pixValue(PixKeyType.CPF, "")).isNull();
        assertThat(Validation.pixValue(PixKeyType.EMAIL, "")).isEqualTo("Enter the e-mail address.");
        assertThat(Validation.pixValue(PixKeyType.EMAIL, "not-an-address")).startsWith("Not a valid e-mail");
        assertThat(Validation.pixValue(PixKeyType.PHONE, "+5511987654321")).isNull();
        assertThat(Validation.pixKey("maria@example.com")).isNull();
        assertThat(Validation.pixKey("529.982.247-25")).isNull();
        assertThat(Validation.pixKey("hello")).startsWith("That is not a PIX key");
    }

    @Test
    void holderFormMarksEachFieldAndIsValidWhenAllAre() {
        HolderFormViewModel h = new HolderFormViewModel();
        assertThat(h.isValid()).isFalse();
        assertThat(h.nameError().get()).isNotNull();
        assertThat(h.emailError().get()).isNull(); // optional
        fill(h, "Maria Souza", "529.982.247-25", "maria", "short");
        assertThat(h.passwordError().get()).contains("5 so far");
        assertThat(h.isValid()).isFalse();
        h.passwordProperty().set("s3cret-pass");
        assertThat(h.isValid()).isTrue();
        h.cpfProperty().set("529.982.247-24");
        assertThat(h.cpfError().get()).contains("check digits");
        assertThat(h.isValid()).isFalse();
    }

    @Test
    void openAccountFormFollowsTheAccountKind() {
        OpenAccountViewModel f = window().openAccount();
        assertThat(f.holders()).hasSize(1);
        assertThat(f.validProperty().get()).isFalse();
        fill(f.holders().get(0), "Maria Souza", "529.982.247-25", "maria", "s3cret-pass");
        assertThat(f.validProperty().get()).isTrue();

        f.kindProperty().set(OpenAccountViewModel.Kind.JOINT);
        assertThat(f.holders()).hasSize(2);
        assertThat(f.validProperty().get()).isFalse();
        fill(f.holders().get(1), "Joao Lima", "529.982.247-25", "maria", "another-pass");
        assertThat(f.formErrorProperty().get()).isNotNull();
        assertThat(f.validProperty().get()).isFalse();
        f.holders().get(1).cpfProperty().set("111.444.777-35");
        assertThat(f.formErrorProperty().get()).isEqualTo("Each holder needs a username of their own.");
        f.holders().get(1).usernameProperty().set("joao");
        assertThat(f.formErrorProperty().get()).isNull();
        assertThat(f.validProperty().get()).isTrue();
        f.addHolder();
        assertThat(f.holders()).hasSize(3);
        assertThat(f.validProperty().get()).isFalse(); // the third is empty
        f.removeHolder(f.holders().get(2));
        assertThat(f.validProperty().get()).isTrue();
        f.removeHolder(f.holders().get(1));
        assertThat(f.holders()).hasSize(2); // a joint account keeps two

        f.kindProperty().set(OpenAccountViewModel.Kind.BUSINESS);
        assertThat(f.holders()).hasSize(1);
        assertThat(f.cnpjError().get()).isEqualTo("Enter the CNPJ.");
        assertThat(f.validProperty().get()).isFalse();
        f.companyNameProperty().set("Souza Ltda");
        f.cnpjProperty().set("11.222.333/0001-82");
        assertThat(f.validProperty().get()).isFalse();
        f.cnpjProperty().set("11.222.333/0001-81");
        assertThat(f.validProperty().get()).isTrue();

        f.kindProperty().set(OpenAccountViewModel.Kind.PERSONAL);
        assertThat(f.cnpjError().get()).isNull();
        assertThat(f.validProperty().get()).isTrue();
    }

    @Test
    void transferBuilderAddsLegsSumsThemAndSaysWhatIsMissing() {
        TransferViewModel t = window().transfer();
        assertThat(t.legs()).hasSize(1);
        assertThat(t.validProperty().get()).isFalse();
        assertThat(t.problemProperty().get()).isEqualTo("Choose one of your accounts to pay from.");

        LegViewModel a = t.legs().get(0);
        a.fromProperty().set(new AccountRef("b1", "1001"));
        a.toBankProperty().set(BANKS.get(2));
        a.toAccountProperty().set("1001");
        a.amountProperty().set("30,00");
        assertThat(t.validProperty().get()).isTrue();
        assertThat(t.totalProperty().get()).isEqualTo(3_000);

        LegViewModel b = t.addLeg();
        assertThat(b.toBankProperty().get()).isEqualTo(BANKS.get(2)); // the last leg's bank, as a start
        assertThat(b.numberProperty().get()).isEqualTo(2);
        assertThat(t.validProperty().get()).isFalse();
        assertThat(t.problemProperty().get()).isEqualTo("Leg 2: Choose one of your accounts to pay from.");
        b.fromProperty().set(new AccountRef("b2", "1001"));
        b.targetProperty().set(LegViewModel.Target.PIX_KEY);
        assertThat(b.toAccountError().get()).isNull(); // not asked for a PIX leg
        assertThat(b.pixKeyError().get()).isEqualTo("Enter a PIX key.");
        b.pixKeyProperty().set("joao@example.com");
        b.amountProperty().set("20");
        assertThat(t.totalProperty().get()).isEqualTo(5_000);
        assertThat(t.totalTextProperty().get()).isEqualTo("R$ 50,00");
        assertThat(t.validProperty().get()).isTrue();
        assertThat(b.toLeg()).isEqualTo(TransferLeg.toPixKey(new AccountRef("b2", "1001"), "joao@example.com", 2_000));

        b.amountProperty().set("20,001");
        assertThat(t.validProperty().get()).isFalse();
        assertThat(t.totalProperty().get()).isEqualTo(3_000); // only valid amounts count
        b.amountProperty().set("20");

        LegViewModel c = t.addLeg();
        c.fromProperty().set(new AccountRef("b3", "1001"));
        c.toAccountProperty().set("1001");
        c.amountProperty().set("1");
        assertThat(c.sameAccountError().get()).isEqualTo("A leg cannot pay an account into itself.");
        assertThat(t.validProperty().get()).isFalse();
        t.removeLeg(c);
        assertThat(t.legs()).hasSize(2);
        assertThat(t.validProperty().get()).isTrue();
        t.removeLeg(a);
        assertThat(b.numberProperty().get()).isEqualTo(1);
        t.removeLeg(b);
        assertThat(t.legs()).containsExactly(b); // one leg stays

        t.newTransfer();
        assertThat(t.legs()).hasSize(1);
        assertThat(t.totalProperty().get()).isZero();
    }

    @Test
    void reasonsBecomeSentencesAboutTheFailedLeg() {
        Outcomes o = new Outcomes(id -> "Bank " + id.substring(1));
        AccountRef b1 = new AccountRef("b1", "1001");
        AccountRef b2 = new AccountRef("b2", "1001");
        AccountRef b3 = new AccountRef("b3", "1001");
        List<TransferLeg> legs = List.of(TransferLeg.toAccount(b1, b3, 1_000), TransferLeg.toAccount(b2, b3, 99_900),
                TransferLeg.toPixKey(b1, "joao@example.com", 500));

        assertThat(o.reason("INSUFFICIENT_FUNDS", 1, legs))
                .isEqualTo("Not enough money in account 1001 at Bank 2 to pay R$ 999,00 (leg 2).");
        assertThat(o.reason("INSUFFICIENT_FUNDS", 0, legs.subList(0, 1)))
                .isEqualTo("Not enough money in account 1001 at Bank 1 to pay R$ 10,00.");
        assertThat(o.reason("ACCOUNT_NOT_FOUND", 0, legs)).startsWith("There is no account 1001 at Bank 3 (leg 1)");
        assertThat(o.reason("PIX_KEY_NOT_FOUND", 2, legs))
                .isEqualTo("The PIX key joao@example.com names no account any more (leg 3).");
        assertThat(o.reason("NOT_A_HOLDER", 1, legs))
                .isEqualTo("You are not a holder of account 1001 at Bank 2, so you cannot pay from it (leg 2).");
        assertThat(o.reason("BALANCE_LIMIT", 0, legs)).contains("cannot hold that much money");
        assertThat(o.reason("SOMETHING_NEW", null, legs)).isEqualTo("The consortium refused it (SOMETHING_NEW).");

        TransactionResult aborted = new TransactionResult("t1", "ABORTED", "INSUFFICIENT_FUNDS", 1, "b1",
                Map.of("b2", 3L, "b1", 5L, "b3", 2L));
        assertThat(o.sentence(aborted, legs)).isEqualTo("Aborted, nothing was moved. Not enough money in account 1001 "
                + "at Bank 2 to pay R$ 999,00 (leg 2).");
        assertThat(o.order(aborted)).isEqualTo("Ordered by Bank 1 at vector clock b1:5 b2:3 b3:2");
        TransactionResult committed = new TransactionResult("t2", "COMMITTED", null, null, "b2", Map.of("b1", 1L));
        assertThat(o.sentence(committed, legs)).isEqualTo("Committed: all 3 legs were applied together.");
        assertThat(o.sentence(new TransactionResult("t3", "PENDING", null, null, null, Map.of()), legs))
                .startsWith("Pending");
        assertThat(Outcomes.styleClass("ABORTED")).isEqualTo("status-aborted");
    }

    @Test
    void consentReasonsReadAsSentencesAboutTheLegsAccount() {
        Outcomes o = new Outcomes(id -> id.equals("b2") ? "Bank 2" : id);
        List<TransferLeg> legs = List.of(
                TransferLeg.toAccount(new AccountRef("b1", "1001"), new AccountRef("b3", "1001"), 100),
                TransferLeg.toAccount(new AccountRef("b2", "1002"), new AccountRef("b3", "1001"), 2_500));
        assertThat(o.reason("NO_CONSENT", 1, legs)).isEqualTo("Account 1002 at Bank 2 has no live consent for this "
                + "bank to debit it (leg 2): it was revoked or never given. Link it again with a new consent.");
        assertThat(o.reason("CONSENT_LIMIT", 1, legs)).isEqualTo("Paying R$ 25,00 from account 1002 at Bank 2 goes "
                + "beyond what is left of its consent's limit (leg 2).");
        assertThat(o.reason("CONSENT_EXPIRED", 1, legs)).isEqualTo("The consent for account 1002 at Bank 2 has "
                + "expired (leg 2). Link it again with a new consent.");
        assertThat(o.reason("CONSENT_EXPIRED", null, legs)).isEqualTo("The consent of a linked account has expired.");
    }

    static void fill(HolderFormViewModel h, String name, String cpf, String username, String password) {
        h.nameProperty().set(name);
        h.cpfProperty().set(cpf);
        h.usernameProperty().set(username);
        h.passwordProperty().set(password);
    }
}
