package org.distribank.app.ui.customer;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.ReadOnlyLongProperty;
import javafx.beans.property.ReadOnlyLongWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;
import org.distribank.app.client.AccountRef;
import org.distribank.app.client.BankApiException;
import org.distribank.app.client.CustomerApi;
import org.distribank.app.client.TransactionResult;
import org.distribank.app.client.TransferLeg;
import org.distribank.app.service.BankRef;
import org.distribank.app.service.customer.CustomerSession;
import org.distribank.app.ui.common.Money;
import org.distribank.app.ui.common.UiTasks;

/**
 * The transfer builder: legs from any of the person's accounts (here, or at another bank linked here with its
 * consent) to accounts or PIX keys, their total, and the transfer's live status. All legs commit together or none
 * does; a leg from a linked account is judged by its own bank against the consent (NO_CONSENT, CONSENT_LIMIT,
 * CONSENT_EXPIRED, in words by {@link Outcomes}).
 *
 * <p>Each transfer carries an idempotency id. A fresh one is made for every new transfer; when the bank did
 * not answer at all, sending the same legs again reuses it, so the transfer cannot be applied twice. Any edit
 * makes it a new transfer.
 */
public final class TransferViewModel {

    private final CustomerSession session;
    private final CustomerState state;
    private final UiTasks tasks;
    private final PendingFollower follower;
    private final Outcomes outcomes;
    private final ObservableList<LegViewModel> legs = FXCollections.observableArrayList();
    private final ReadOnlyLongWrapper total = new ReadOnlyLongWrapper(0);
    private final ReadOnlyStringWrapper totalText = new ReadOnlyStringWrapper(Money.format(0));
    private final ReadOnlyBooleanWrapper valid = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyStringWrapper problem = new ReadOnlyStringWrapper();
    private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper statusText = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper order = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper transactionId = new ReadOnlyStringWrapper("");
    private final ReadOnlyIntegerWrapper failedLeg = new ReadOnlyIntegerWrapper(-1);
    private static final Pattern LEG = Pattern.compile("Leg (\\d+)\\b");
    private String pendingId;

    public TransferViewModel(CustomerSession session, CustomerState state, UiTasks tasks, PendingFollower follower) {
        this.session = session;
        this.state = state;
        this.tasks = tasks;
        this.follower = follower;
        this.outcomes = new Outcomes(session::bankName);
        // a leg may not keep paying from an account the person no longer holds (or no longer has linked)
        state.myAccounts().addListener((ListChangeListener<AccountRef>) c -> {
            for (LegViewModel l : legs) {
                if (l.fromProperty().get() != null && !state.myAccounts().contains(l.fromProperty().get())) {
                    l.fromProperty().set(null);
                }
            }
        });
        state.whenSignedOut(this::clearOutcome);
        legs.addListener((ListChangeListener<LegViewModel>) c -> {
            for (int i = 0; i < legs.size(); i++) {
                legs.get(i).setNumber(i + 1);
            }
            edited();
        });
        legs.add(new LegViewModel(this::edited));
    }

    /** Where a leg may pay from: the person's accounts here and the ones linked here. */
    public ObservableList<AccountRef> fromAccounts() {
        return state.myAccounts();
    }

    /** Where a leg may pay to. */
    public List<BankRef> banks() {
        return session.banks();
    }

    /** How the bank choice shows {@code b}. */
    public String bankName(BankRef b) {
        return b == null ? "" : b.name();
    }

    /** How the choice box shows an account. */
    public String label(AccountRef ref) {
        return state.label(ref);
    }

    public ObservableList<LegViewModel> legs() {
        return legs;
    }

    /** The sum of the legs' valid amounts, in cents. */
    public ReadOnlyLongProperty totalProperty() {
        return total.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty totalTextProperty() {
        return totalText.getReadOnlyProperty();
    }

    /** Every leg complete (and not sending). */
    public ReadOnlyBooleanProperty validProperty() {
        return valid.getReadOnlyProperty();
    }

    /** The first thing to fix, "Leg 2: ...", or null. */
    public ReadOnlyStringProperty problemProperty() {
        return problem.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty busyProperty() {
        return busy.getReadOnlyProperty();
    }

    /** PENDING, COMMITTED or ABORTED of the last transfer; empty before one or when it was refused outright. */
    public ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }

    /** The status in plain words, with the reason of an abort. */
    public ReadOnlyStringProperty statusTextProperty() {
        return statusText.getReadOnlyProperty();
    }

    /** Where the transfer sits in the total order: origin bank and vector clock. */
    public ReadOnlyStringProperty orderProperty() {
        return order.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty transactionIdProperty() {
        return transactionId.getReadOnlyProperty();
    }

    /** 0-based index of the leg the banks refused, or -1. */
    public ReadOnlyIntegerProperty failedLegProperty() {
        return failedLeg.getReadOnlyProperty();
    }

    public LegViewModel addLeg() {
        LegViewModel l = new LegViewModel(this::edited);
        if (!legs.isEmpty()) {
            LegViewModel last = legs.get(legs.size() - 1);
            l.toBankProperty().set(last.toBankProperty().get()); // legs often pay one person from several accounts
        }
        legs.add(l);
        return l;
    }

    public void removeLeg(LegViewModel l) {
        if (legs.size() > 1 && !busy.get()) {
            legs.remove(l);
        }
    }

    /** Clears the builder for another transfer. */
    public void newTransfer() {
        if (busy.get()) {
            return;
        }
        legs.setAll(new LegViewModel(this::edited));
        clearOutcome();
    }

    public void submit() {
        if (busy.get() || !valid.get() || !state.isSignedIn()) {
            return;
        }
        List<LegViewModel> sent = List.copyOf(legs);
        List<TransferLeg> body = sent.stream().map(LegViewModel::toLeg).toList();
        if (pendingId == null) {
            pendingId = CustomerApi.newId();
        }
        String id = pendingId;
        CustomerApi c = session.client();
        sent.forEach(l -> l.setFailed(false));
        failedLeg.set(-1);
        busy.set(true);
        valid.set(false);
        status.set("");
        order.set("");
        transactionId.set(id);
        statusText.set("Sending " + (body.size() == 1 ? "1 leg" : body.size() + " legs") + ", "
                + Money.format(total.get()) + "...");
        tasks.run(() -> c.transfer(id, body), r -> follower.follow(c, id, r, x -> show(x, sent, body),
                e -> failed(e, sent)), e -> failed(e, sent));
    }

    void clearOutcome() {
        status.set("");
        statusText.set("");
        order.set("");
        transactionId.set("");
        failedLeg.set(-1);
        legs.forEach(l -> l.setFailed(false));
    }

    private void show(TransactionResult r, List<LegViewModel> sent, List<TransferLeg> body) {
        status.set(r.status());
        order.set(outcomes.order(r));
        statusText.set(outcomes.sentence(r, body));
        if (r.pending()) {
            return;
        }
        pendingId = null;
        busy.set(false);
        state.succeeded();
        Integer leg = r.failedLeg();
        if (!r.committed() && leg != null && leg >= 0 && leg < sent.size()) {
            failedLeg.set(leg);
            sent.get(leg).setFailed(true);
        }
        recompute();
        state.readEverything();
    }

    private void failed(Throwable e, List<LegViewModel> sent) {
        busy.set(false);
        status.set("");
        if (e instanceof BankApiException b && b.unreachable()) {
            // no answer: the transfer may or may not be in the order; the same id again is safe
            statusText.set(session.bank().name() + " did not answer, so the transfer's fate is unknown. Send it again: "
                    + "it keeps its id, so it can never be applied twice.");
        } else {
            pendingId = null;
            state.failed(e, m -> {
                // refused before the order; the bank counts legs from 0 in "Leg 1: ...", people from 1
                Matcher leg = LEG.matcher(m);
                if (leg.lookingAt()) {
                    int i = Integer.parseInt(leg.group(1));
                    if (i >= 0 && i < sent.size()) {
                        failedLeg.set(i);
                        sent.get(i).setFailed(true);
                        m = "Leg " + (i + 1) + m.substring(leg.end(1));
                    }
                }
                statusText.set(m);
            });
        }
        recompute();
    }

    private void edited() {
        if (!busy.get()) {
            pendingId = null;
        }
        recompute();
    }

    private void recompute() {
        long sum = 0;
        String first = null;
        for (LegViewModel l : legs) {
            sum += l.cents();
            if (first == null && !l.isComplete()) {
                first = (legs.size() > 1 ? "Leg " + l.numberProperty().get() + ": " : "") + l.problemProperty().get();
            }
        }
        total.set(sum);
        totalText.set(Money.format(sum));
        problem.set(first);
        valid.set(first == null && !legs.isEmpty() && !busy.get());
    }
}
