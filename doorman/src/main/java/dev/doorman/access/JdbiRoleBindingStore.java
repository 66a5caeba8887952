package dev.doorman.access;

import dev.doorman.authz.ResourceRef;
import dev.doorman.authz.RoleBinding;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementContext;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** role_bindings (V6). Insert-if-absent is one statement on both dialects ({@code on conflict do nothing}). */
public final class JdbiRoleBindingStore implements RoleBindingStore {
    private static final String COLUMNS = "subject_id, role, resource_type, resource_id, created_at";

    private final Jdbi jdbi;

    public JdbiRoleBindingStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public boolean save(RoleBinding binding, Instant createdAt) {
        return jdbi.withHandle(h -> h.createUpdate("insert into role_bindings (" + COLUMNS + ") values (:subject, :role, :type, :id, :at) "
                        + "on conflict (subject_id, role, resource_type, resource_id) do nothing")
                .bind("subject", binding.subjectId()).bind("role", binding.role())
                .bind("type", binding.scope().map(ResourceRef::type).orElse(""))
                .bind("id", binding.scope().map(ResourceRef::id).orElse(""))
                .bind("at", createdAt.toEpochMilli())
                .execute()) == 1;
    }

    @Override
    public boolean remove(RoleBinding binding) {
        return jdbi.withHandle(h -> h.createUpdate("delete from role_bindings where subject_id = :subject and role = :role "
                        + "and resource_type = :type and resource_id = :id")
                .bind("subject", binding.subjectId()).bind("role", binding.role())
                .bind("type", binding.scope().map(ResourceRef::type).orElse(""))
                .bind("id", binding.scope().map(ResourceRef::id).orElse(""))
                .execute()) == 1;
    }

    @Override
    public List<StoredBinding> bindingsOf(String subjectId) {
        return jdbi.withHandle(h -> h.createQuery("select " + COLUMNS + " from role_bindings where subject_id = :subject "
                        + "order by role, resource_type, resource_id")
                .bind("subject", subjectId).map(JdbiRoleBindingStore::row).list());
    }

    @Override
    public List<StoredBinding> list() {
        return jdbi.withHandle(h -> h.createQuery("select " + COLUMNS + " from role_bindings order by subject_id, role, resource_type, resource_id")
                .map(JdbiRoleBindingStore::row).list());
    }

    private static StoredBinding row(ResultSet rs, StatementContext ctx) throws SQLException {
        String type = rs.getString("resource_type");
        Optional<ResourceRef> scope = type.isEmpty() ? Optional.empty() : Optional.of(new ResourceRef(type, rs.getString("resource_id")));
        return new StoredBinding(new RoleBinding(rs.getString("subject_id"), rs.getString("role"), scope),
                Instant.ofEpochMilli(rs.getLong("created_at")));
    }
}
