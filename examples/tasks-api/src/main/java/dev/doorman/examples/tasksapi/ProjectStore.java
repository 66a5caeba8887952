package dev.doorman.examples.tasksapi;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Projects and their memberships, in the API's own tables. */
final class ProjectStore {
    private static final RowMapper<Project> PROJECT = (rs, ctx) -> new Project(new ProjectId(UUID.fromString(rs.getString("id"))),
            rs.getString("name"), member(rs.getString("created_by")), Instant.parse(rs.getString("created_at")));
    private static final RowMapper<Membership> MEMBERSHIP = (rs, ctx) -> new Membership(
            new ProjectId(UUID.fromString(rs.getString("project_id"))), member(rs.getString("member")),
            ProjectRole.parse(rs.getString("role")).orElseThrow(), member(rs.getString("added_by")), Instant.parse(rs.getString("added_at")));

    private final Jdbi jdbi;

    ProjectStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    void save(Project project) {
        jdbi.useHandle(h -> h.createUpdate("insert into projects (id, name, created_by, created_at) values (:id, :name, :by, :at)")
                .bind("id", project.id().toString()).bind("name", project.name()).bind("by", project.createdBy().toString())
                .bind("at", Times.format(project.createdAt())).execute());
    }

    Optional<Project> find(ProjectId id) {
        return jdbi.withHandle(h -> h.createQuery("select * from projects where id = :id").bind("id", id.toString()).map(PROJECT).findOne());
    }

    List<Project> all() {
        return jdbi.withHandle(h -> h.createQuery("select * from projects order by created_at, id").map(PROJECT).list());
    }

    /** The projects {@code member} belongs to, in any role. */
    List<Project> ofMember(MemberId member) {
        return jdbi.withHandle(h -> h.createQuery("select p.* from projects p join memberships m on m.project_id = p.id "
                + "where m.member = :member order by p.created_at, p.id").bind("member", member.toString()).map(PROJECT).list());
    }

    /** Every project role of {@code member}: the source of its per-project role bindings. */
    List<Membership> membershipsOf(MemberId member) {
        return jdbi.withHandle(h -> h.createQuery("select * from memberships where member = :member")
                .bind("member", member.toString()).map(MEMBERSHIP).list());
    }

    List<Membership> members(ProjectId project) {
        return jdbi.withHandle(h -> h.createQuery("select * from memberships where project_id = :project order by added_at, member")
                .bind("project", project.toString()).map(MEMBERSHIP).list());
    }

    Optional<Membership> membership(ProjectId project, MemberId member) {
        return jdbi.withHandle(h -> findMembership(h, project, member));
    }

    /** Adds the membership or changes its role; true when it is new. */
    boolean put(Membership membership) {
        return jdbi.inTransaction(h -> {
            boolean existed = findMembership(h, membership.project(), membership.member()).isPresent();
            if (existed) {
                h.createUpdate("update memberships set role = :role where project_id = :project and member = :member")
                        .bind("role", membership.role().policyName()).bind("project", membership.project().toString())
                        .bind("member", membership.member().toString()).execute();
            } else {
                h.createUpdate("insert into memberships (project_id, member, role, added_by, added_at) values (:project, :member, :role, :by, :at)")
                        .bind("project", membership.project().toString()).bind("member", membership.member().toString())
                        .bind("role", membership.role().policyName()).bind("by", membership.addedBy().toString())
                        .bind("at", Times.format(membership.addedAt())).execute();
            }
            return !existed;
        });
    }

    /** Removes the membership; its tasks assigned to the member stay assigned but the member can no longer act on them. */
    boolean remove(ProjectId project, MemberId member) {
        return jdbi.withHandle(h -> h.createUpdate("delete from memberships where project_id = :project and member = :member")
                .bind("project", project.toString()).bind("member", member.toString()).execute()) > 0;
    }

    private static Optional<Membership> findMembership(Handle h, ProjectId project, MemberId member) {
        return h.createQuery("select * from memberships where project_id = :project and member = :member")
                .bind("project", project.toString()).bind("member", member.toString()).map(MEMBERSHIP).findOne();
    }

    private static MemberId member(String text) {
        return MemberId.parse(text).orElseThrow(() -> new IllegalStateException("a stored member id is malformed"));
    }
}
