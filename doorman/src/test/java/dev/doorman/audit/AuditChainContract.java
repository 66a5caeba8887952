package dev.doorman.audit;

import dev.doorman.account.UserId;
import dev.doorman.db.StoreContract;
import dev.doorman.support.ClientInfo;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The hash-chained trail on a real database: tampering of every kind is found and named; concurrent writers keep one chain. */
abstract class AuditChainContract extends StoreContract {
    private JdbiAuditStore store;
    private AuditLog log;
    private AuditService audit;

    @BeforeEach
    void openTrail() {
        store = new JdbiAuditStore(db.jdbi());
        log = new AuditLog(store, clock);
        audit = new AuditService(store, log, clock);
    }

    private void events(int n) {
        for (int i = 0; i < n; i++) {
            log.failure(AuditType.LOGIN_FAILED, "wrong_password", Optional.of(UserId.random()), new ClientInfo("192.0.2." + i, "agent " + i));
            clock.advance(Duration.ofSeconds(1));
        }
    }

    private void sql(String statement) {
        db.jdbi().useHandle(h -> h.execute(statement));
    }

    @Test
    void verifyWhenNothingWasTouchedThenIntactWithEveryRecordChecked() {
        events(5);
        var result = audit.verify();
        assertThat(result.problems()).isEmpty();
        assertThat(result.intact()).isTrue();
        assertThat(result.checked()).isEqualTo(5);
        assertThat(result.lastSeq()).isEqualTo(5);
        List<AuditRecord> all = store.after(0, 100);
        assertThat(all).extracting(AuditRecord::seq).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(all.getFirst().prevHash()).isEqualTo(AuditChain.GENESIS);
        for (int i = 1; i < all.size(); i++) assertThat(all.get(i).prevHash()).isEqualTo(all.get(i - 1).hash());
    }

    @Test
    void verifyWhenEmptyTrailThenIntact() {
        assertThat(audit.verify().intact()).isTrue();
    }

    @Test
    void verifyWhenAFieldOfARecordWasAlteredThenThatRecordIsNamedAsAltered() {
        events(5);
        sql("update audit_events set reason = 'account_disabled' where seq = 3");
        var result = audit.verify();
        assertThat(result.problems()).singleElement().satisfies(p -> {
            assertThat(p.kind()).isEqualTo(AuditVerification.Kind.ALTERED);
            assertThat(p.seq()).isEqualTo(3);
            assertThat(p.detail()).contains("record 3").contains("altered");
        });
    }

    @Test
    void verifyWhenTheIpOrTimeOfARecordWasAlteredThenAltered() {
        events(4);
        sql("update audit_events set ip = '198.51.100.1' where seq = 2");
        sql("update audit_events set at = at - 1000 where seq = 4");
        assertThat(audit.verify().problems()).extracting(AuditVerification.Problem::kind, AuditVerification.Problem::seq)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(AuditVerification.Kind.ALTERED, 2L),
                        org.assertj.core.groups.Tuple.tuple(AuditVerification.Kind.ALTERED, 4L));
    }

    @Test
    void verifyWhenARecordWasDeletedThenItsPositionIsNamedAsMissing() {
        events(5);
        sql("delete from audit_events where seq = 3");
        var result = audit.verify();
        assertThat(result.problems()).singleElement().satisfies(p -> {
            assertThat(p.kind()).isEqualTo(AuditVerification.Kind.MISSING);
            assertThat(p.seq()).isEqualTo(3);
            assertThat(p.detail()).isEqualTo("record 3 is missing (deleted)");
        });
    }

    @Test
    void verifyWhenTheFirstRecordWasDeletedThenMissing() {
        events(3);
        sql("delete from audit_events where seq = 1");
        assertThat(audit.verify().problems()).singleElement()
                .satisfies(p -> assertThat(p.kind()).isEqualTo(AuditVerification.Kind.MISSING));
    }

    @Test
    void verifyWhenTheNewestRecordsWereDeletedThenTruncatedIsReported() {
        events(5);
        sql("delete from audit_events where seq >= 4");
        assertThat(audit.verify().problems()).singleElement().satisfies(p -> {
            assertThat(p.kind()).isEqualTo(AuditVerification.Kind.TRUNCATED);
            assertThat(p.seq()).isEqualTo(4);
            assertThat(p.detail()).contains("records 4 to 5");
        });
    }

    @Test
    void verifyWhenADeletedRecordsSuccessorsWereRenumberedThenTheGapIsStillFound() {
        events(5);
        sql("delete from audit_events where seq = 3");
        sql("update audit_events set seq = seq - 1 where seq > 3");
        sql("update audit_chain set last_seq = 4");
        var result = audit.verify();
        assertThat(result.intact()).isFalse();
        assertThat(result.problems()).first().satisfies(p -> {
            assertThat(p.kind()).isEqualTo(AuditVerification.Kind.OUT_OF_PLACE);
            assertThat(p.seq()).isEqualTo(3);
        });
    }

    @Test
    void verifyWhenTwoRecordsSwappedPlacesThenBothAreNamedOutOfPlace() {
        events(5);
        sql("update audit_events set seq = 100 where seq = 2");
        sql("update audit_events set seq = 2 where seq = 3");
        sql("update audit_events set seq = 3 where seq = 100");
        var result = audit.verify();
        assertThat(result.problems()).extracting(AuditVerification.Problem::kind).containsOnly(AuditVerification.Kind.OUT_OF_PLACE);
        assertThat(result.problems()).extracting(AuditVerification.Problem::seq).contains(2L, 3L);
    }

    @Test
    void verifyWhenARecordWasForgedWithAFreshHashThenTheNextRecordNoLongerFollowsIt() {
        events(4);
        // A forger who recomputes the altered record's own hash still breaks the link from the record after it.
        var r = store.after(1, 1).getFirst();
        String forged = AuditChain.hash(r.prevHash(), r.id(), r.at().toEpochMilli(), r.type(), r.outcome(), "account_disabled",
                r.user().map(UserId::toString).orElse(null), null, r.ip(), r.userAgent());
        sql("update audit_events set reason = 'account_disabled', hash = '" + forged + "' where seq = 2");
        assertThat(audit.verify().problems()).singleElement().satisfies(p -> {
            assertThat(p.kind()).isEqualTo(AuditVerification.Kind.OUT_OF_PLACE);
            assertThat(p.seq()).isEqualTo(3);
        });
    }

    @Test
    void appendWhenManyWritersAtOnceThenOneGapFreeChainThatVerifies() throws Exception {
        concurrently(16, i -> {
            for (int j = 0; j < 25; j++)
                log.success(AuditType.LOGIN_SUCCEEDED, Optional.of(UserId.random()), new ClientInfo("203.0.113." + i, "writer " + i));
            return null;
        });
        var result = audit.verify();
        assertThat(result.problems()).isEmpty();
        assertThat(result.checked()).isEqualTo(400);
        assertThat(store.after(0, 1000)).extracting(AuditRecord::seq).containsExactlyElementsOf(
                java.util.stream.LongStream.rangeClosed(1, 400).boxed().toList());
    }

    @Test
    void appendWhenInsideATransactionThatRollsBackThenNoRecordAndNoGap() {
        events(2);
        try {
            db.run(() -> {
                log.success(AuditType.PASSWORD_CHANGED, Optional.of(UserId.random()), ClientInfo.unknown());
                throw new IllegalStateException("rolled back");
            });
        } catch (IllegalStateException expected) {
            // the change and its record are gone together
        }
        events(1);
        assertThat(store.after(0, 10)).extracting(AuditRecord::seq).containsExactly(1L, 2L, 3L);
        assertThat(audit.verify().intact()).isTrue();
    }

    @Test
    void pruneWhenRecordsAreOlderThanTheRetentionThenTheyGoAndTheChainStillVerifiesFromItsAnchor() {
        events(5);
        clock.advance(Duration.ofDays(10));
        events(3);
        var pruned = audit.prune(Duration.ofDays(7), ClientInfo.unknown());
        assertThat(pruned.deleted()).isEqualTo(5);
        assertThat(pruned.firstKept()).isEqualTo(6);
        var result = audit.verify();
        assertThat(result.problems()).isEmpty();
        assertThat(result.firstSeq()).isEqualTo(6);
        assertThat(result.checked()).isEqualTo(4);   // 3 kept + the audit_pruned record naming the anchor
        assertThat(store.after(0, 10).getLast()).satisfies(r -> {
            assertThat(r.type()).isEqualTo("audit_pruned");
            assertThat(r.reason()).contains("kept_from_6");
        });
        // Still tamper-evident after pruning.
        sql("delete from audit_events where seq = 7");
        assertThat(audit.verify().problems()).singleElement().satisfies(p -> assertThat(p.kind()).isEqualTo(AuditVerification.Kind.MISSING));
    }

    @Test
    void pruneWhenNothingIsOldEnoughThenNothingChanges() {
        events(3);
        assertThat(audit.prune(Duration.ofDays(7), ClientInfo.unknown()).deleted()).isZero();
        assertThat(store.after(0, 10)).hasSize(3);
    }

    @Test
    void pruneWhenEveryRecordIsOldThenTheChainContinuesFromTheHead() {
        events(3);
        clock.advance(Duration.ofDays(30));
        audit.prune(Duration.ofDays(7), ClientInfo.unknown());
        events(2);
        var result = audit.verify();
        assertThat(result.problems()).isEmpty();
        assertThat(result.firstSeq()).isEqualTo(4);
        assertThat(result.checked()).isEqualTo(3);
    }

    @Test
    void chainUnchainedWhenRecordsPredateTheChainThenTheyAreLinkedOldestFirst() {
        sql("insert into audit_events (id, at, type, outcome, ip, user_agent) values ('00000000-0000-0000-0000-000000000002', 2000, 'logged_out', 'success', '', '')");
        sql("insert into audit_events (id, at, type, outcome, ip, user_agent) values ('00000000-0000-0000-0000-000000000001', 1000, 'login_succeeded', 'success', '', '')");
        assertThat(store.chainUnchained()).isEqualTo(2);
        events(1);
        assertThat(store.after(0, 10)).extracting(AuditRecord::type).containsExactly("login_succeeded", "logged_out", "login_failed");
        assertThat(audit.verify().problems()).isEmpty();
        assertThat(store.chainUnchained()).isZero();
    }

    @Test
    void findWhenFilteredByAccountTypeIpAndTimeThenOnlyMatchingRecordsNewestFirst() {
        UserId alice = UserId.random();
        Instant start = clock.instant();
        log.success(AuditType.LOGIN_SUCCEEDED, Optional.of(alice), new ClientInfo("192.0.2.1", "a"));
        clock.advance(Duration.ofMinutes(1));
        log.failure(AuditType.LOGIN_FAILED, "wrong_password", Optional.of(alice), new ClientInfo("192.0.2.2", "a"));
        clock.advance(Duration.ofMinutes(1));
        log.failure(AuditType.LOGIN_FAILED, "wrong_password", Optional.of(UserId.random()), new ClientInfo("192.0.2.2", "b"));
        var base = AuditQuery.all(10);
        assertThat(audit.find(new AuditQuery(Optional.of(alice), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), 10))).extracting(AuditRecord::seq).containsExactly(2L, 1L);
        assertThat(audit.find(new AuditQuery(Optional.empty(), Optional.of("login_failed"), Optional.of("192.0.2.2"), Optional.empty(),
                Optional.empty(), Optional.empty(), 10))).extracting(AuditRecord::seq).containsExactly(3L, 2L);
        assertThat(audit.find(new AuditQuery(Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(start.plusSeconds(30)),
                Optional.of(start.plusSeconds(90)), Optional.empty(), 10))).extracting(AuditRecord::seq).containsExactly(2L);
        assertThat(audit.find(base.before(3))).extracting(AuditRecord::seq).containsExactly(2L, 1L);
        var pages = new ArrayList<Long>();
        var page = AuditQuery.all(1);
        for (int i = 0; i < 5; i++) {
            var got = audit.find(page);
            if (got.isEmpty()) break;
            pages.add(got.getFirst().seq());
            page = page.before(got.getFirst().seq());
        }
        assertThat(pages).containsExactly(3L, 2L, 1L);
    }

    @Test
    void appendSoonWhenRefusalsFloodFromManyThreadsAlongsideOtherEventsThenEveryOneIsWrittenInOneIntactChain() throws Exception {
        int threads = 8;
        int each = 150;
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(threads)) {
            var done = new ArrayList<java.util.concurrent.Future<?>>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < each; i++) {
                        var client = new ClientInfo("198.51.100." + thread, "attacker");
                        if (i % 10 == 0) log.success(AuditType.LOGIN_SUCCEEDED, Optional.of(UserId.random()), client);
                        else log.failure(AuditType.RATE_LIMITED, "login.source", Optional.empty(), client);
                    }
                }));
            }
            for (var f : done) f.get();
        }
        // Read through the store: whatever was still queued is written first.
        var result = audit.verify();
        assertThat(result.intact()).as(result.problems().toString()).isTrue();
        assertThat(result.checked()).isEqualTo(threads * each);
        assertThat(store.after(0, 10_000)).filteredOn(r -> r.type().equals(AuditType.RATE_LIMITED.wireName())).hasSize(threads * each * 9 / 10);
    }

    @Test
    void appendSoonWhenAloneThenWrittenBeforeItReturns() {
        log.failure(AuditType.LOGIN_SHED, "hash_pool_full", Optional.empty(), new ClientInfo("192.0.2.1", "agent"));
        // Read behind the store's back: nothing may still be queued.
        long rows = db.jdbi().withHandle(h -> h.createQuery("select count(*) from audit_events where type = 'login_shed'").mapTo(Long.class).one());
        assertThat(rows).isEqualTo(1);
    }

    @Test
    void appendSoonWhenTheDatabaseFailsThenTheRefusalIsKeptAndWrittenByTheNextWriterInOrder() {
        log.failure(AuditType.RATE_LIMITED, "login.source", Optional.empty(), new ClientInfo("192.0.2.1", "first"));
        sql("alter table audit_events rename to audit_events_away");
        log.failure(AuditType.RATE_LIMITED, "login.source", Optional.empty(), new ClientInfo("192.0.2.2", "while down"));
        sql("alter table audit_events_away rename to audit_events");
        log.failure(AuditType.RATE_LIMITED, "login.source", Optional.empty(), new ClientInfo("192.0.2.3", "after"));
        assertThat(store.after(0, 10)).extracting(AuditRecord::userAgent).containsExactly("first", "while down", "after");
        assertThat(audit.verify().intact()).isTrue();
    }
}
