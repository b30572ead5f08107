package org.distribank.consortium.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.distribank.consortium.entity.Decision;
import org.distribank.consortium.entity.Operation;
import org.distribank.consortium.entity.VectorClock;
import org.distribank.consortium.entity.Vote;
import org.junit.jupiter.api.Test;

class BallotBoxTest {

    private static final List<String> BANKS = List.of("b1", "b2", "b3", "b4");
    private static final BallotBox.Stability EVERYTHING_STABLE = (origin, seq) -> true;

    private static Operation op(String id, String origin) {
        return new Operation(id, origin, VectorClock.zero(BANKS), "{}");
    }

    /**
     * b4 delivered op7 (an OP of b3's past a view's cut, which no member holds) and voted NO on it; the members never
     * deliver that OP. After the install, b3's client retries op7 and the members deliver the retry: only a vote cast
     * on the retry may count, not b4's vote on the void OP.
     */
    @Test
    void aVoteOnAnOperationTakenBackDoesNotCountForItsRetry() {
        BallotBox box = new BallotBox();
        box.record("op7", "b4", Vote.no("INSUFFICIENT_FUNDS"), 5);

        box.dropVotesOfUndelivered(); // the install: every OP within the cut delivered, op7 not among them

        assertThat(box.expect(op("op7", "b3"), List.of("b3", "b4"), 1, 9)).isTrue();
        box.record("op7", "b3", Vote.yesVote(), 10);
        assertThat(box.decide(o -> o, EVERYTHING_STABLE, 0)).as("b4 has not voted on the retry").isEmpty();

        box.record("op7", "b4", Vote.yesVote(), 6);
        assertThat(box.decide(o -> o, EVERYTHING_STABLE, 0)).singleElement()
                .satisfies(d -> assertThat(d.outcome().decision()).isEqualTo(Decision.COMMITTED));
    }

    @Test
    void votesOfOperationsDeliveredAndWaitingAreKeptAtAnInstall() {
        BallotBox box = new BallotBox();
        assertThat(box.expect(op("op1", "b1"), List.of("b1", "b2"), 1, 3)).isTrue();
        box.record("op1", "b2", Vote.no("INSUFFICIENT_FUNDS"), 4);

        box.dropVotesOfUndelivered();

        box.record("op1", "b1", Vote.yesVote(), 5);
        assertThat(box.decide(o -> o, EVERYTHING_STABLE, 0)).singleElement().satisfies(d -> {
            assertThat(d.outcome().decision()).isEqualTo(Decision.ABORTED);
            assertThat(d.outcome().voter()).isEqualTo("b2");
        });
    }
}
