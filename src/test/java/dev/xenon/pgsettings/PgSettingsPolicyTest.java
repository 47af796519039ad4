package dev.xenon.pgsettings;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class PgSettingsPolicyTest {
    private static final PgSettingsPolicy POLICY = PgSettingsPolicy.bundled();

    @ParameterizedTest(name = "{0} = ''{1}'' on {2}")
    @CsvSource(delimiter = '|', value = {
            "work_mem|64MB|17", "work_mem|65536|17", "work_mem|1.5GB|17", "WORK_MEM|4MB|14",
            "statement_timeout|30s|17", "statement_timeout|0|16", "statement_timeout|1min|18",
            "search_path|\"$user\", public|17", "search_path|''|17", "TimeZone|Europe/Paris|17",
            "timezone|utc|15", "DateStyle|ISO, DMY|17", "default_transaction_isolation|repeatable read|17",
            "synchronous_commit|off|17", "enable_seqscan|of|17", "jit|false|14", "random_page_cost|1.1|17",
            "vacuum_cost_delay|2ms|17", "log_min_duration_statement|250ms|17", "autovacuum_naptime|30s|17",
            "transaction_timeout|5s|17", "default_text_search_config|pg_catalog.french|16",
            "vacuum_buffer_usage_limit|0|17", "vacuum_buffer_usage_limit|256kB|17", "lc_monetary|C|17"})
    void acceptsWhatPostgresAccepts(String name, String value, int major) {
        assertThat(POLICY.problem(major, name, value)).isEmpty();
    }

    @ParameterizedTest(name = "{0} = ''{1}'' on {2}: {3}")
    @CsvSource(delimiter = '|', value = {
            "no_such_setting|1|17|'no_such_setting' is not a setting of Postgres 17",
            "a b; drop|1|17|'a b; drop' is not a setting of Postgres 17",
            "transaction_timeout|5s|16|'transaction_timeout' is not a setting of Postgres 16",
            "archive_cleanup_command|id > proof|17|setting archive_cleanup_command is refused: it runs a shell command",
            "recovery_end_command|id|14|setting recovery_end_command is refused: it runs a shell command",
            "archive_library|basic_archive|17|setting archive_library is refused: it loads a library",
            "log_directory|/tmp|17|setting log_directory is refused: it names a file or directory",
            "work_mem|1|17|setting work_mem must be between 64 and 2147483647 kB, got '1'",
            "work_mem|10 parsecs|17|setting work_mem has unit kB; 'parsecs' is not a unit for it",
            "work_mem|ten|17|setting work_mem must be an integer (in kB unless a unit is given)",
            "work_mem|1ms|17|setting work_mem has unit kB; 'ms' is not a unit for it",
            "work_mem|010|17|setting work_mem must be an integer",
            "statement_timeout|-5|17|setting statement_timeout must be between 0 and 2147483647 ms",
            "statement_timeout|3000000000|17|setting statement_timeout is out of range",
            "random_page_cost|NaN|17|setting random_page_cost must be a number",
            "jit|maybe|17|setting jit must be a boolean",
            "synchronous_commit|sometimes|17|setting synchronous_commit must be one of ",
            "TimeZone|Mars/Olympus|17|setting TimeZone must be a time zone name Postgres 17 knows",
            "DateStyle|ISO, SQL|17|setting DateStyle names two output styles",
            "search_path|a,,b|17|setting search_path must be a comma-separated list of schema names",
            "lc_monetary|de_DE.UTF-8|17|setting lc_monetary must be C or POSIX",
            "vacuum_buffer_usage_limit|64kB|17|setting vacuum_buffer_usage_limit must be 0 or at least 128 kB",
            "application_name|a\tb|17|setting application_name has a control character in its value"})
    void refusesNamingTheSettingAndWhy(String name, String value, int major, String problem) {
        assertThat(POLICY.problem(major, name, value)).get().asString().startsWith(problem);
    }

    @Test
    void theSameSettingTwiceInDifferentCaseIsRefused() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("work_mem", "4MB");
        settings.put("Work_Mem", "8MB");
        assertThat(POLICY.problems(17, settings)).containsExactly("settings 'work_mem' and 'Work_Mem' are the same"
                + " setting");
    }
}
