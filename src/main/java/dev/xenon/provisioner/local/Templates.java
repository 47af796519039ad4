package dev.xenon.provisioner.local;

import dev.xenon.provisioner.local.compute.Reconciler;
import dev.xenon.provisioner.local.copy.Recycling;
import dev.xenon.provisioner.local.postgres.AdminJdbc;
import dev.xenon.provisioner.local.postgres.ControlFile;
import dev.xenon.provisioner.local.postgres.DataLayout;
import dev.xenon.provisioner.local.postgres.Distributions;
import dev.xenon.provisioner.local.postgres.InitDb;
import dev.xenon.provisioner.local.postgres.MaintenanceServer;
import dev.xenon.provisioner.local.postgres.OsUser;
import dev.xenon.provisioner.local.postgres.Sql;
import dev.xenon.provisioner.local.postgres.Superuser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

import static java.util.Objects.requireNonNull;

/**
 * One freshly initialized, cleanly shut-down cluster per Postgres major, made by initdb the first time a project
 * of that major is created and cloned for every project after: a copy costs tens of milliseconds (or nothing,
 * with reflinks), initdb costs seconds.
 */
final class Templates {
    private final DataLayout layout;
    private final Distributions distributions;
    private final Optional<OsUser> user;
    private final Superuser superuser;
    private final MaintenanceServer maintenance;
    private final AdminJdbc jdbc;
    private final Recycling recycling;
    // Not synchronized: initdb takes seconds, and a virtual thread waiting in a monitor pins its carrier (JDK < 24).
    private final ReentrantLock making = new ReentrantLock();

    Templates(DataLayout layout, Distributions distributions, Optional<OsUser> user, Superuser superuser,
              MaintenanceServer maintenance, AdminJdbc jdbc, Recycling recycling) {
        this.layout = requireNonNull(layout, "layout is null");
        this.distributions = requireNonNull(distributions, "distributions is null");
        this.user = requireNonNull(user, "user is null");
        this.superuser = requireNonNull(superuser, "superuser is null");
        this.maintenance = requireNonNull(maintenance, "maintenance is null");
        this.jdbc = requireNonNull(jdbc, "jdbc is null");
        this.recycling = requireNonNull(recycling, "recycling is null");
    }

    /** The template of {@code major}, made now if there is none yet. */
    Path get(int major) {
        Path template = layout.template(major);
        if (Files.exists(template.resolve("PG_VERSION"))) {
            return template;
        }
        making.lock();
        try {
            if (Files.exists(template.resolve("PG_VERSION"))) {
                return template;
            }
            make(major, template);
            return template;
        } finally {
            making.unlock();
        }
    }

    /** initdb into a staging directory renamed into place once done, so a crash never leaves half a template. */
    private void make(int major, Path template) {
        Path staging = template.resolveSibling(major + ".initdb");
        try {
            DataLayout.traversableDir(template.getParent());
            if (Files.exists(staging)) {
                recycling.deleteTree(staging);
            }
            // Synced: every branch of every project of this major starts as a copy of these files.
            new InitDb(distributions.get(major), user).run(staging, superuser.name(), superuser.password(), false);
            maintenance.run(major, staging, template.resolveSibling(major + ".log"), "preparing a template", port -> {
                try (Connection c = jdbc.open(port, "postgres")) {
                    Reconciler.ensureNeonSuperuser(c);
                    Sql.execute(c, "CREATE DATABASE " + Sql.ident(Reconciler.SPARE_DATABASE));
                }
                return null;
            });
            if (!ControlFile.read(staging).cleanlyShutDown()) {
                throw new IllegalStateException("initdb left " + staging + " not cleanly shut down");
            }
            Files.move(staging, template, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("while making the Postgres " + major + " template in " + template, e);
        } catch (RuntimeException e) {
            throw new IllegalStateException("while making the Postgres " + major + " template in " + template
                    + ": " + e.getMessage(), e);
        }
    }
}
