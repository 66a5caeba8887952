package dev.doorman.audit;

import java.util.ArrayList;
import java.util.List;

/**
 * Walks the chain from the anchor retention left to the head and names every record that does not fit: one whose
 * fields no longer give its hash (altered), a gap in the positions (deleted), a record that does not link to the one
 * before it although nothing is missing (reordered or renumbered), and a head the last record does not reach
 * (the newest records deleted). Each record is then taken as it stands, so one altered record is reported once
 * rather than breaking everything after it.
 */
public final class AuditVerifier {
    /** Enough to say what is wrong; a trail rewritten wholesale does not need a million lines to prove it. */
    static final int MAX_PROBLEMS = 100;

    private final AuditTrail trail;

    public AuditVerifier(AuditTrail trail) {
        this.trail = trail;
    }

    public AuditVerification verify() {
        AuditTrail.Head head = trail.head();
        var walk = new Walk(head.firstSeq(), head.firstPrevHash());
        trail.forEachInOrder(walk::accept);
        if (walk.expectedSeq <= head.lastSeq())
            walk.problem(AuditVerification.Kind.TRUNCATED, walk.expectedSeq, walk.expectedSeq == head.lastSeq()
                    ? "record " + head.lastSeq() + ", the newest, is missing"
                    : "records " + walk.expectedSeq + " to " + head.lastSeq() + ", the newest, are missing");
        else if (walk.checked > 0 && !walk.expectedPrev.equals(head.lastHash()))
            walk.problem(AuditVerification.Kind.TRUNCATED, head.lastSeq(), "the newest record " + head.lastSeq()
                    + " is not the one the chain head recorded");
        return new AuditVerification(walk.checked, head.firstSeq(), head.lastSeq(), walk.problems);
    }

    private static final class Walk {
        long expectedSeq;
        String expectedPrev;
        long checked;
        final List<AuditVerification.Problem> problems = new ArrayList<>();

        Walk(long firstSeq, String anchor) {
            expectedSeq = firstSeq;
            expectedPrev = anchor;
        }

        void accept(AuditRecord r) {
            checked++;
            if (!r.recomputedHash().equals(r.hash()))
                problem(AuditVerification.Kind.ALTERED, r.seq(), "record " + r.seq() + " (" + r.type() + " at " + r.at()
                        + ") was altered: its fields no longer match its hash");
            if (r.seq() < expectedSeq) {
                problem(AuditVerification.Kind.OUT_OF_PLACE, r.seq(), "record " + r.seq() + " lies before the oldest position kept ("
                        + expectedSeq + ")");
            } else if (r.seq() > expectedSeq) {
                problem(AuditVerification.Kind.MISSING, expectedSeq, r.seq() - expectedSeq == 1
                        ? "record " + expectedSeq + " is missing (deleted)"
                        : "records " + expectedSeq + " to " + (r.seq() - 1) + " are missing (deleted)");
            } else if (!r.prevHash().equals(expectedPrev)) {
                problem(AuditVerification.Kind.OUT_OF_PLACE, r.seq(), "record " + r.seq() + " (" + r.type() + " at " + r.at()
                        + ") does not follow record " + (r.seq() - 1) + ": records were reordered, or one was deleted and the rest renumbered");
            }
            expectedSeq = Math.max(expectedSeq, r.seq() + 1);
            expectedPrev = r.hash();
        }

        void problem(AuditVerification.Kind kind, long seq, String detail) {
            if (problems.size() < MAX_PROBLEMS) problems.add(new AuditVerification.Problem(kind, seq, detail));
        }
    }
}
