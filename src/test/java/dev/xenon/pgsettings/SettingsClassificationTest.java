package dev.xenon.pgsettings;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/** Every setting of every supported major was classified on purpose, and the classification keeps its promises. */
class SettingsClassificationTest {
    private static final PgSettingsPolicy POLICY = PgSettingsPolicy.bundled();
    private static final Classification CLASSIFICATION = POLICY.classification();

    @Test
    void everySettingOfEveryMajorIsClassifiedAndNothingElseIs() {
        Set<String> all = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        List<String> undecided = new ArrayList<>();
        for (int major : PgSettingsPolicy.MAJORS) {
            for (Setting s : POLICY.catalog(major).settings()) {
                all.add(s.name());
                if (CLASSIFICATION.decision(s.name()).isEmpty()) {
                    undecided.add(s.name() + " (Postgres " + major + ")");
                }
            }
        }
        assertThat(undecided).as("settings nobody decided on: add them to pgsettings/classification.tsv").isEmpty();
        assertThat(CLASSIFICATION.all().keySet()).as("classified names that no supported major has")
                .allSatisfy(name -> assertThat(all).contains(name));
        assertThat(all).hasSizeGreaterThan(400);
    }

    @Test
    void onlySettingsAUserCouldChangeInASessionOrByReloadAreAllowed() {
        for (int major : PgSettingsPolicy.MAJORS) {
            for (Setting s : POLICY.catalog(major).settings()) {
                if (CLASSIFICATION.decision(s.name()).orElseThrow().allowed()) {
                    assertThat(s.context()).as("context of allowed %s in %d", s.name(), major)
                            .isIn("user", "superuser", "superuser-backend", "sighup");
                }
            }
        }
    }

    @Test
    void everyAllowedStringSettingHasItsOwnValueCheck() {
        for (int major : PgSettingsPolicy.MAJORS) {
            for (Setting s : POLICY.catalog(major).settings()) {
                if (s.type() == Setting.Type.STRING && CLASSIFICATION.decision(s.name()).orElseThrow().allowed()) {
                    assertThat(StringSettings.checked(s.name())).as("value check for %s", s.name()).isTrue();
                }
            }
        }
    }

    /** A safety net under the table: names that say "command", "library", "file" or "directory" are never allowed. */
    @Test
    void settingsThatNameCommandsLibrariesFilesOrDirectoriesAreRefused() {
        for (String name : CLASSIFICATION.all().keySet()) {
            String n = name.toLowerCase(java.util.Locale.ROOT);
            // Logs the replication commands clients send; runs none.
            if (n.equals("log_replication_commands")) {
                continue;
            }
            if (n.contains("command") || n.contains("librar") || n.endsWith("_file") || n.contains("directory")
                    || n.endsWith("_dir") || n.endsWith("_path") && !n.equals("search_path")
                    || n.contains("tablespace")) {
                assertThat(CLASSIFICATION.decision(name).orElseThrow().allowed()).as(name).isFalse();
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"archive_cleanup_command", "archive_command", "restore_command", "recovery_end_command",
            "ssl_passphrase_command", "archive_library", "shared_preload_libraries", "local_preload_libraries",
            "session_preload_libraries", "dynamic_library_path", "log_directory", "log_filename", "log_destination",
            "logging_collector", "data_directory", "hba_file", "config_file", "listen_addresses", "port",
            "unix_socket_directories", "ssl", "password_encryption", "primary_conninfo", "wal_level",
            "archive_mode", "max_connections", "shared_buffers", "fsync", "session_replication_role",
            "zero_damaged_pages", "default_tablespace", "max_stack_depth"})
    void hostReachingSettingsAreRefusedOnEveryMajorThatHasThem(String name) {
        boolean seen = false;
        for (int major : PgSettingsPolicy.MAJORS) {
            if (POLICY.catalog(major).find(name).isPresent()) {
                seen = true;
                assertThat(POLICY.problem(major, name, "x")).as("%s on %d", name, major).get().asString()
                        .startsWith("setting " + name + " is refused: it ");
            }
        }
        assertThat(seen).as("%s exists in some major", name).isTrue();
    }

    /** docs/SETTINGS.md lists each setting under what was decided for it. */
    @Test
    void theSettingsDocumentListsEveryDecision() throws java.io.IOException {
        String doc = java.nio.file.Files.readString(java.nio.file.Path.of("docs/SETTINGS.md"));
        String allowed = doc.substring(doc.indexOf("### Allowed"), doc.indexOf("### Refused"));
        String refused = doc.substring(doc.indexOf("### Refused"));
        CLASSIFICATION.all().forEach((name, decision) -> assertThat(decision.allowed() ? allowed : refused)
                .as("docs/SETTINGS.md lists %s", name).contains("`" + name + "`"));
    }
}
