package org.distribank.consortium.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class WireCodecTest {

    /** Configs may list the peers in any order; the wire order is canonical (b2 before b10). */
    private final WireCodec codec = new WireCodec(List.of("b10", "b1", "b2"));

    @Test
    void aClockTravelsAsAnArrayInCanonicalPeerOrder() {
        String json = codec.write(WireMessage.op(7, new long[] {3, 0, 1}, "t-1", "key=x;delta=5"));
        assertThat(json).isEqualTo("{\"seq\":7,\"type\":\"OP\",\"clock\":[3,0,1],\"id\":\"t-1\",\"payload\":\"key=x;delta=5\"}");
        WireMessage back = codec.readMessage(json);
        assertThat(back.seq()).isEqualTo(7);
        assertThat(back.clock()).containsExactly(3, 0, 1);
        assertThat(back.id()).isEqualTo("t-1");
        assertThat(back.payload()).isEqualTo("key=x;delta=5");
    }

    @Test
    void oneVoteMessageCarriesEveryVoteOfABurst() {
        WireMessage m = WireMessage.votes(9, new long[] {1, 2, 3}, List.of(new WireMessage.Ballot("t-1", true, null),
                new WireMessage.Ballot("t-2", false, "INSUFFICIENT_FUNDS")));
        WireMessage back = codec.readMessage(codec.write(m));
        assertThat(back.type()).isEqualTo(WireMessage.VOTE);
        assertThat(back.votes()).containsExactly(new WireMessage.Ballot("t-1", true, null),
                new WireMessage.Ballot("t-2", false, "INSUFFICIENT_FUNDS"));
    }

    @Test
    void theMapFormOfEarlierLogsAndHandWrittenMessagesIsStillRead() {
        WireMessage m = codec.readMessage("{\"seq\":1,\"type\":\"VOTE\",\"clock\":{\"b10\":4,\"b2\":1},"
                + "\"id\":\"t-1\",\"yes\":false,\"reason\":\"NO_ACCOUNT\"}");
        assertThat(m.clock()).containsExactly(0, 1, 4); // b1 missing reads as 0
        assertThat(m.votes()).containsExactly(new WireMessage.Ballot("t-1", false, "NO_ACCOUNT"));
    }

    @Test
    void aBatchCarriesItsSendersAckForTheOtherDirection() {
        WireBatch b = codec.readBatch("{\"from\":\"b2\",\"ack\":41,\"messages\":[{\"seq\":5,\"type\":\"ACK\",\"clock\":[1,2,3]}]}");
        assertThat(b.from()).isEqualTo("b2");
        assertThat(b.ack()).isEqualTo(41);
        assertThat(b.messages()).singleElement().satisfies(m -> assertThat(m.type()).isEqualTo(WireMessage.ACK));
        assertThat(codec.readBatch("{\"from\":\"b2\",\"messages\":[]}").ack()).isNull();
    }

    @Test
    void whatAMessageLacksOrGetsWrongIsRefused() {
        for (String bad : new String[] {
            "{\"seq\":1,\"type\":\"ACK\",\"clock\":[1,2]}",                  // too few entries
            "{\"seq\":1,\"type\":\"ACK\",\"clock\":[1,2,3,4]}",              // too many
            "{\"seq\":1,\"type\":\"ACK\",\"clock\":{\"b9\":1}}",             // a stranger
            "{\"seq\":1,\"type\":\"ACK\",\"clock\":[1,-2,3]}",               // negative
            "{\"type\":\"ACK\",\"clock\":[1,2,3]}",                          // no seq
            "{\"seq\":1,\"clock\":[1,2,3]}",                                 // no type
            "{\"seq\":1,\"type\":\"ACK\"}",                                  // no clock
            "{\"seq\":1,\"type\":\"OP\",\"clock\":[1,2,3],\"payload\":\"p\"}", // an OP without id
            "{\"seq\":1,\"type\":\"VOTE\",\"clock\":[1,2,3]}",               // a VOTE without votes
            "{\"seq\":1,\"type\":\"NUDGE\",\"clock\":[1,2,3]}",              // unknown type
            "{\"seq\":1,\"type\":",                                          // cut short
        }) {
            assertThatThrownBy(() -> codec.readMessage(bad)).as(bad).isInstanceOfAny(IllegalArgumentException.class,
                    IllegalStateException.class);
        }
        assertThatThrownBy(() -> codec.readBatch("{\"messages\":[]}")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> codec.readBatch("not json")).isInstanceOf(IllegalArgumentException.class);
    }
}
