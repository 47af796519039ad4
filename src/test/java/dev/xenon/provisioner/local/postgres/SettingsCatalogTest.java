package dev.xenon.provisioner.local.postgres;

import dev.xenon.pgsettings.PgSettingsPolicy;
import dev.xenon.pgsettings.Setting;
import dev.xenon.pgsettings.SettingsCatalog;
import dev.xenon.provisioner.local.PgTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bundled settings catalogs are what the real Postgres binaries say, and the policy's value checks are never
 * looser than the real server: for every setting a user may set in a session, each of a set of tricky values that
 * Xenon accepts must be accepted by Postgres too.
 * <p>
 * To write the catalogs again (say for a new minor release): {@code ./xenon test -Dtest=SettingsCatalogTest
 * -Dxenon.pgsettings.write=src/main/resources/pgsettings}.
 */
class SettingsCatalogTest {
    private static final String PASSWORD = "catalog-test-password";

    @TempDir
    Path temp;

    @Test
    void catalogsCoverEverySupportedMajor() {
        assertThat(PgSettingsPolicy.MAJORS).first().isEqualTo(Distribution.MIN_MAJOR);
        assertThat(PgSettingsPolicy.MAJORS).last().isEqualTo(Distribution.MAX_MAJOR);
    }

    @ParameterizedTest(name = "Postgres {0}")
    @ValueSource(ints = {14, 15, 16, 17, 18})
    void bundledCatalogMatchesTheRealServerAndChecksAreNeverLooserThanIt(int major) throws Exception {
        Distribution dist = Distribution.unpack(major, PgTestSupport.distDir(), PgTestSupport.cacheDir());
        Optional<OsUser> user = PgTestSupport.user();
        Path data = PgTestSupport.traversable(temp).resolve("data");
        new InitDb(dist, user).run(data, "admin", PASSWORD, true);
        PostgresServer server = new PostgresServer(dist, user, data);
        server.start(0, Map.of(), temp.resolve("postgres.log"));
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + server.port() + "/postgres",
                "admin", PASSWORD)) {
            SettingsCatalog real = read(c, major, dist.version());
            String write = System.getProperty("xenon.pgsettings.write");
            if (write != null) {
                Files.writeString(Path.of(write).resolve("pg" + major + ".tsv"), real.settingsText());
                Files.writeString(Path.of(write).resolve("pg" + major + "-values.tsv"), real.valuesText());
            }
            SettingsCatalog bundled = PgSettingsPolicy.bundled().catalog(major);
            assertThat(bundled.settingsText()).as("bundled pg_settings of Postgres %d", major)
                    .isEqualTo(real.settingsText());
            assertThat(bundled.valuesText()).as("bundled value lists of Postgres %d", major)
                    .isEqualTo(real.valuesText());
            crossCheck(c, real, major);
        } finally {
            server.stop();
        }
    }

    private static SettingsCatalog read(Connection c, int major, String version) throws SQLException {
        List<Setting> settings = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "select name, context, vartype, unit, min_val, max_val, enumvals from pg_settings")) {
            while (rs.next()) {
                Array enums = rs.getArray(7);
                settings.add(new Setting(rs.getString(1), rs.getString(2),
                        Setting.Type.valueOf(rs.getString(3).toUpperCase(java.util.Locale.ROOT)),
                        orEmpty(rs.getString(4)), orEmpty(rs.getString(5)), orEmpty(rs.getString(6)),
                        enums == null ? List.of() : List.of((String[]) enums.getArray())));
            }
        }
        Map<String, Set<String>> values = new TreeMap<>();
        values.put("TimeZone", column(c, "select name from pg_timezone_names"));
        values.put("default_text_search_config", column(c, "select cfgname from pg_ts_config"));
        return new SettingsCatalog(major, version, settings, values);
    }

    /**
     * Tries each candidate value in a subtransaction that is always rolled back, in one statement, so that a value
     * like statement_timeout=1 cannot affect the next attempt.
     */
    private static void crossCheck(Connection c, SettingsCatalog catalog, int major) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("create function pg_temp.try_set(n text, v text) returns text language plpgsql as $$"
                    + " begin begin perform set_config(n, v, true); raise exception using errcode = 'XX999';"
                    + " exception when sqlstate 'XX999' then return null; when others then return sqlerrm; end;"
                    + " end $$");
        }
        PgSettingsPolicy policy = PgSettingsPolicy.bundled();
        List<String> looser = new ArrayList<>();
        List<String> neverAccepted = new ArrayList<>();
        int tried = 0;
        int stricter = 0;
        for (Setting setting : catalog.settings()) {
            boolean allowed = policy.classification().decision(setting.name()).map(d -> d.allowed()).orElse(false);
            // Only these can be set in a session; the others are sighup settings, checked by their range alone.
            // exit_on_error=on would make the rollback sentinel end the session; it is a bool like any other.
            if (!allowed || !Set.of("user", "superuser").contains(setting.context())
                    || setting.name().equals("exit_on_error")) {
                continue;
            }
            boolean anyAccepted = false;
            for (String value : SettingCandidates.of(setting)) {
                boolean ours = policy.problem(major, setting.name(), value).isEmpty();
                String theirs = trySet(c, setting.name(), value);
                tried++;
                if (ours && theirs != null) {
                    looser.add(setting.name() + "='" + value + "': Postgres says " + theirs);
                }
                if (!ours && theirs == null) {
                    stricter++;
                }
                anyAccepted |= ours;
            }
            if (!anyAccepted) {
                neverAccepted.add(setting.name());
            }
        }
        System.out.printf("Postgres %d: %d values tried; Xenon refused %d that Postgres accepts%n", major, tried,
                stricter);
        assertThat(looser).as("values Xenon accepts but Postgres %d refuses", major).isEmpty();
        assertThat(neverAccepted).as("allowed settings for which Xenon accepted no value at all").isEmpty();
    }

    private static String trySet(Connection c, String name, String value) throws SQLException {
        try (var q = c.prepareStatement("select pg_temp.try_set(?, ?)")) {
            q.setString(1, name);
            q.setString(2, value);
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    private static Set<String> column(Connection c, String sql) throws SQLException {
        Set<String> values = new TreeSet<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }
}
