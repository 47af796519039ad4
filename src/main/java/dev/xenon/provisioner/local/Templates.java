package dev.xenon.provisioner.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.util.Optional;

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

    Templates(DataLayout layout, Distributions distributions, Optional<OsUser> user, Superuser superuser,
              MaintenanceServer maintenance, AdminJdbc jdbc) {
        this.layout = requireNonNull(layout, "layout is null");
        this.distributions = requireNonNull(distributions, "distributions is null");
        this.user = requireNonNull(user, "user is null");
        this.superuser = requireNonNull(superuser, "superuser is null");
        this.maintenance = requireNonNull(maintenance, "maintenance is null");
        this.jdbc = requireNonNull(jdbc, "jdbc is null");
    }

    /** The template of {@code major}, made now if there is none yet. */
    Path get(int major) {
        Path template = layout.template(major);
        if (Files.exists(template.resolve("PG_VERSION"))) {
            return template;
        }
        synchronized (this) {
            if (Files.exists(template.resolve("PG_VERSION"))) {
                return template;
            }
            make(major, template);
            return template;
        }
    }

    /** initdb into a staging directory renamed into place once done, so a crash never leaves half a template. */
    private void make(int major, Path template) {
        Path staging = template.resolveSibling(major + ".initdb");
        try {
            DataLayout.traversableDir(template.getParent());
            if (Files.exists(staging)) {
                Distribution.deleteTree(staging);
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
