package org.distribank.consortium.transport;

import java.util.List;

/** The body of {@code POST /peer/v1/messages}: consecutive messages of one sender's link. */
public record WireBatch(String from, List<WireMessage> messages) {
}
