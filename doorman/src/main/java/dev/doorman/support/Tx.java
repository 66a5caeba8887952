package dev.doorman.support;

import java.util.function.Supplier;

/** Runs work in one database transaction; stores called inside it share that transaction. */
@FunctionalInterface
public interface Tx {
    <T> T inTransaction(Supplier<T> work);

    default void run(Runnable work) {
        inTransaction(() -> {
            work.run();
            return null;
        });
    }
}
