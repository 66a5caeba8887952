package dev.doorman.audit;

import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

/** The stored, hash-chained audit trail: queries for operators, and what verification and retention need. */
public interface AuditTrail {
    /** The chain's head and the anchor retention left. */
    record Head(long lastSeq, String lastHash, long firstSeq, String firstPrevHash) { }

    /** @param firstKept the oldest position left (lastSeq + 1 when nothing is left) */
    record Pruned(int deleted, long firstKept) { }

    /** Newest first. */
    List<AuditRecord> find(AuditQuery query);

    /** Records after position {@code seq}, oldest first: what {@code audit tail} follows. */
    List<AuditRecord> after(long seq, int limit);

    Head head();

    /** Every record, by position, without holding them all in memory. */
    void forEachInOrder(Consumer<AuditRecord> action);

    /** Deletes the records older than {@code before} (a prefix of the chain) and anchors the chain at the first one kept. */
    Pruned prune(Instant before, Instant now);
}
