package dev.doorman.access;

import dev.doorman.authz.RoleBinding;

import java.time.Instant;
import java.util.List;

/** Role bindings in the database. */
public interface RoleBindingStore {
    /** @return false when the binding already existed (nothing changes) */
    boolean save(RoleBinding binding, Instant createdAt);

    /** @return false when there was no such binding */
    boolean remove(RoleBinding binding);

    List<StoredBinding> bindingsOf(String subjectId);

    List<StoredBinding> list();
}
