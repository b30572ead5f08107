package org.distribank.consortium.entity;

import java.util.Comparator;

/** Peer ids are "b1".."bN"; they sort by length then text, so "b2" comes before "b10". */
public final class PeerIds {

    public static final Comparator<String> COMPARATOR =
            Comparator.comparingInt(String::length).thenComparing(Comparator.naturalOrder());

    private PeerIds() {
    }
}
