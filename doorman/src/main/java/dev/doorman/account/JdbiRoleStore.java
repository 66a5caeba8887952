package dev.doorman.account;

import org.jdbi.v3.core.Jdbi;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

public final class JdbiRoleStore implements RoleStore {
    private final Jdbi jdbi;

    public JdbiRoleStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public void save(Role role) {
        jdbi.useHandle(h -> h.createUpdate("insert into roles (name, description) values (:name, :description) "
                        + "on conflict (name) do update set description = excluded.description")
                .bind("name", role.name()).bind("description", role.description().orElse(null)).execute());
    }

    @Override
    public List<Role> list() {
        return jdbi.withHandle(h -> h.createQuery("select name, description from roles order by name")
                .map((rs, ctx) -> new Role(rs.getString("name"), Optional.ofNullable(rs.getString("description")))).list());
    }

    @Override
    public Set<String> rolesOf(UserId user) {
        return jdbi.withHandle(h -> h.createQuery("select role from user_roles where user_id = :id order by role")
                .bind("id", user.toString()).mapTo(String.class).collect(java.util.stream.Collectors.toCollection(TreeSet::new)));
    }

    @Override
    public void setRoles(UserId user, Set<String> roles) {
        jdbi.useTransaction(h -> {
            h.createUpdate("delete from user_roles where user_id = :id").bind("id", user.toString()).execute();
            for (String role : roles) {
                h.createUpdate("insert into user_roles (user_id, role) values (:id, :role)")
                        .bind("id", user.toString()).bind("role", role).execute();
            }
        });
    }
}
