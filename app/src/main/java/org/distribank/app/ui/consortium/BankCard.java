package org.distribank.app.ui.consortium;

import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.ReadOnlyLongProperty;
import javafx.beans.property.ReadOnlyLongWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

/** What the overview shows of one bank: its light, clock, queue, deliveries, log hash and last error. */
public final class BankCard {

    /** The online light: seen by this app and by every other bank, by some only, by none, or not yet polled. */
    public enum Light { ONLINE, SUSPECT, OFFLINE, UNKNOWN }

    /**
     * Its place in the view the consortium orders in (the highest epoch any bank reports): a member, out of it, or a
     * member still at an older epoch; unknown while no bank tells its view. Distinct from the light: a bank can
     * answer and be out, or be offline and still a member until a view change leaves it out.
     */
    /** RETIRED: no longer among the view's banks (retire-bank): it holds no accounts and orders nothing. */
    public enum Membership { MEMBER, OUT, BEHIND, RETIRED, UNKNOWN }

    /** The log hash compared with the banks that delivered as many operations. */
    public enum HashState { AGREE, DIFFERS, ALONE, UNKNOWN }

    private final String id;
    private final String name;
    private final String url;
    private final ReadOnlyObjectWrapper<Light> light = new ReadOnlyObjectWrapper<>(Light.UNKNOWN);
    private final ReadOnlyStringWrapper lightText = new ReadOnlyStringWrapper("waiting for its first answer");
    private final ReadOnlyStringWrapper clock = new ReadOnlyStringWrapper("");
    private final ReadOnlyIntegerWrapper queueDepth = new ReadOnlyIntegerWrapper();
    private final ReadOnlyLongWrapper delivered = new ReadOnlyLongWrapper();
    private final ReadOnlyStringWrapper hash = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper hashFull = new ReadOnlyStringWrapper("");
    private final ReadOnlyObjectWrapper<HashState> hashState = new ReadOnlyObjectWrapper<>(HashState.UNKNOWN);
    private final ReadOnlyStringWrapper hashText = new ReadOnlyStringWrapper("");
    private final ReadOnlyObjectWrapper<Membership> membership = new ReadOnlyObjectWrapper<>(Membership.UNKNOWN);
    private final ReadOnlyStringWrapper membershipText = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper errorDetail = new ReadOnlyStringWrapper("");

    public BankCard(String id, String name, String url) {
        this.id = id;
        this.name = name;
        this.url = url;
    }

    public String id() {
        return id;
    }

    public String name() {
        return name;
    }

    public String url() {
        return url;
    }

    public ReadOnlyObjectProperty<Light> lightProperty() {
        return light.getReadOnlyProperty();
    }

    public Light light() {
        return light.get();
    }

    /** Why the light is what it is, in words. */
    public ReadOnlyStringProperty lightTextProperty() {
        return lightText.getReadOnlyProperty();
    }

    /** The vector clock, e.g. {@code b1:3  b2:5  b3:2}. */
    public ReadOnlyStringProperty clockProperty() {
        return clock.getReadOnlyProperty();
    }

    public ReadOnlyIntegerProperty queueDepthProperty() {
        return queueDepth.getReadOnlyProperty();
    }

    public ReadOnlyLongProperty deliveredProperty() {
        return delivered.getReadOnlyProperty();
    }

    /** The first characters of the log hash. */
    public ReadOnlyStringProperty hashProperty() {
        return hash.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty hashFullProperty() {
        return hashFull.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<HashState> hashStateProperty() {
        return hashState.getReadOnlyProperty();
    }

    public HashState hashState() {
        return hashState.get();
    }

    /** "agree", "differs from b2", or why there is nothing to compare. */
    public ReadOnlyStringProperty hashTextProperty() {
        return hashText.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<Membership> membershipProperty() {
        return membership.getReadOnlyProperty();
    }

    public Membership membership() {
        return membership.get();
    }

    /** "in the view (epoch 3)", "out of the view (epoch 3)" and the like; empty while no view is known. */
    public ReadOnlyStringProperty membershipTextProperty() {
        return membershipText.getReadOnlyProperty();
    }

    /** The last error in a few words ("stopped", "not answering"), empty when fine. */
    public ReadOnlyStringProperty errorProperty() {
        return error.getReadOnlyProperty();
    }

    public String error() {
        return error.get();
    }

    /** The last error in full (for a tooltip). */
    public ReadOnlyStringProperty errorDetailProperty() {
        return errorDetail.getReadOnlyProperty();
    }

    void setLight(Light l, String text) {
        light.set(l);
        lightText.set(text);
    }

    void setView(String clockText, int depth, long deliveredCount, String fullHash) {
        clock.set(clockText);
        queueDepth.set(depth);
        delivered.set(deliveredCount);
        hashFull.set(fullHash == null ? "" : fullHash);
        hash.set(fullHash == null ? "" : fullHash.substring(0, Math.min(12, fullHash.length())));
    }

    void setMembership(Membership m, String text) {
        membership.set(m);
        membershipText.set(text);
    }

    void setHash(HashState s, String text) {
        hashState.set(s);
        hashText.set(text);
    }

    void setError(String shortText, String detail) {
        error.set(shortText == null ? "" : shortText);
        errorDetail.set(detail == null ? "" : detail);
    }
}
