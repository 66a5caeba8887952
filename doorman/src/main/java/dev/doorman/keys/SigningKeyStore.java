package dev.doorman.keys;

import java.time.Instant;
import java.util.List;

/**
 * Where signing keys live, shared by every node. The store guarantees at most one {@code ACTIVE} and one {@code NEXT}
 * key; the state changes are compare-and-set, so that nodes racing each other cannot both win.
 */
public interface SigningKeyStore {
    /** Every stored key, oldest first. */
    List<SigningKey> all();

    /** Adds a key; false (and nothing written) when a key in that live state or with that kid already exists. */
    boolean add(SigningKey key);

    /**
     * Moves a key from one state to another, stamping {@code at} as its activation or retirement time; retiring
     * drops the private part. False when the key is not (any more) in state {@code from}.
     */
    boolean transition(KeyId kid, KeyState from, KeyState to, Instant at);

    /** Removes a {@code NEXT} key that never signed; false when it is not (any more) the next key. */
    boolean discardNext(KeyId kid);

    /** Deletes retired keys retired before {@code cutoff}; returns how many. */
    int deleteRetiredBefore(Instant cutoff);
}
