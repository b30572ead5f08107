package org.distribank.consortium.wire;

import java.util.List;

/**
 * One link batch (an HTTP body of {@code POST /peer/v1/messages}, or a WebSocket frame):
 * consecutive messages of one sender's link. {@code ack}, when present, is the sender's own
 * cumulative link ack for the opposite direction: the highest sequence number it holds durably
 * from the receiver. Riding on data frames, it spares most separate ack frames.
 */
public record WireBatch(String from, Long ack, List<WireMessage> messages) {
}
