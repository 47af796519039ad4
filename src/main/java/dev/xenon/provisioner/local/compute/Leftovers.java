package dev.xenon.provisioner.local.compute;

import dev.xenon.provisioner.local.copy.Recycling;
import dev.xenon.provisioner.local.postgres.DataLayout;
import dev.xenon.provisioner.local.postgres.Distributions;
import dev.xenon.provisioner.local.postgres.OsUser;
import dev.xenon.provisioner.local.postgres.PostgresServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/**
 * What an earlier run of Xenon left behind when it died without stopping its computes: postmasters still
 * serving branch data that nobody supervises any more, and read_only copies that every start makes anew. Found
 * at start-up and cleared, so this run's computes never meet a second postmaster on their data.
 */
public final class Leftovers {
    private static final Logger LOG = LoggerFactory.getLogger(Leftovers.class);

    private final DataLayout layout;
    private final Distributions distributions;
    private final Optional<OsUser> user;
    private final Recycling recycling;

    public Leftovers(DataLayout layout, Distributions distributions, Optional<OsUser> user, Recycling recycling) {
        this.layout = requireNonNull(layout, "layout is null");
        this.distributions = requireNonNull(distributions, "distributions is null");
        this.user = requireNonNull(user, "user is null");
        this.recycling = requireNonNull(recycling, "recycling is null");
    }

    public void stopAll() {
        for (Path timeline : timelines()) {
            List<Path> dataDirs = new ArrayList<>(List.of(DataLayout.pgdata(timeline)));
            Path replicas = timeline.resolve("replicas");
            dataDirs.addAll(children(replicas));
            for (Path pgdata : dataDirs) {
                if (Files.exists(pgdata.resolve("postmaster.pid"))) {
                    stop(pgdata);
                }
            }
            if (Files.exists(replicas)) {
                recycling.deleteTree(replicas);
            }
        }
    }

    private void stop(Path pgdata) {
        try {
            int major = Integer.parseInt(Files.readString(pgdata.resolve("PG_VERSION")).strip());
            new PostgresServer(distributions.get(major), user, pgdata).stopLeftover(PostgresServer.DEFAULT_STOP_TIMEOUT);
        } catch (IOException | RuntimeException e) {
            LOG.warn("while stopping a leftover postmaster on {}: {}", pgdata, e.toString());
        }
    }

    /** Every timeline directory, staging ones included (a crash may have left a maintenance server there). */
    private List<Path> timelines() {
        List<Path> timelines = new ArrayList<>();
        for (Path project : children(layout.timelines())) {
            timelines.addAll(children(project));
        }
        return timelines;
    }

    private static List<Path> children(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> list = Files.list(dir)) {
            return list.filter(Files::isDirectory).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("while listing " + dir, e);
        }
    }
}
