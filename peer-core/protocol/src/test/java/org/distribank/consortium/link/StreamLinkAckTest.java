package org.distribank.consortium.link;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.distribank.consortium.Transport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Acks that ride on data frames: what a frame carries, and an owed ack that no frame carries
 * is still sent, when the link frees up with nothing to say or when it fails. One stream, driven
 * by hand: the test plays the receiver.
 */
class StreamLinkAckTest {

    private final Outbox outbox = new Outbox();
    private final List<String> frames = new ArrayList<>();
    private Transport.StreamListener receiver;
    private StreamLink link;
    private final AtomicInteger ackFrames = new AtomicInteger();

    private final Transport transport = new Transport() {
        @Override
        public long sendBatch(String to, String batchJson) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void heartbeat(String to, String from) {
        }

        @Override
        public boolean streaming() {
            return true;
        }

        @Override
        public Stream openStream(String to, StreamListener listener) {
            receiver = listener;
            return new Stream() {
                @Override
                public void send(String batchJson) {
                    frames.add(batchJson);
                }

                @Override
                public void close() {
                    listener.onClosed("closed");
                }
            };
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void startALinkWithOneFrameInFlightAtMost() {
        link = new StreamLink("b2", "b1", 0, outbox, transport,
                LinkOptions.builder().maxBatchMessages(100).retryMinMs(20).retryMaxMs(1_000).maxFramesInFlight(1).build(),
                () -> false);
        link.start();
    }

    private void durable(long seq) {
        outbox.put(seq, "{\"seq\":" + seq + "}");
        outbox.markDurable(seq);
        link.signal();
    }

    @Test
    void aFrameCarriesWhatThisPeerHoldsFromTheReceiver() {
        link.carryAck(41);
        durable(1);
        assertThat(frames).singleElement().asString().startsWith("{\"from\":\"b2\",\"ack\":41,\"messages\":[");
        assertThat(link.ackCarried()).isEqualTo(41);
    }

    @Test
    void anIdleLinkDoesNotTakeAnAckOver() {
        assertThat(link.oweAck(7, ackFrames::incrementAndGet)).isFalse();
    }

    @Test
    void anOwedAckGoesOnTheNextFrameWhenThereIsOne() {
        durable(1); // in flight: the link now waits for the receiver's ack
        assertThat(link.oweAck(7, ackFrames::incrementAndGet)).isTrue();
        link.carryAck(7);
        durable(2); // waits behind frame 1
        receiver.onAck(1); // frame 2 leaves, carrying 7
        assertThat(frames).hasSize(2);
        assertThat(frames.get(1)).contains("\"ack\":7");
        assertThat(ackFrames).hasValue(0);
    }

    @Test
    void anOwedAckIsSentOnItsOwnWhenTheLinkFreesUpWithNothingToSay() {
        durable(1);
        assertThat(link.oweAck(7, ackFrames::incrementAndGet)).isTrue();
        assertThat(ackFrames).hasValue(0);
        receiver.onAck(1);
        assertThat(frames).hasSize(1);
        assertThat(ackFrames).hasValue(1);
    }

    @Test
    void anOwedAckIsSentWhenTheLinkFails() {
        durable(1);
        assertThat(link.oweAck(7, ackFrames::incrementAndGet)).isTrue();
        link.stop();
        assertThat(ackFrames).hasValue(1);
    }

    @Test
    void theReceiversAckOnItsOwnDataFramesFreesTheLinkButNeverPastWhatIsDurable() {
        durable(1);
        outbox.put(2, "{\"seq\":2}"); // written, not yet durable
        link.ackedByReceiver(2);
        assertThat(link.acked()).isZero();
        link.ackedByReceiver(1);
        assertThat(link.acked()).isEqualTo(1);
        durable(2);
        assertThat(frames).hasSize(2);
    }
}
