package dev.xenon.pgsettings;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static java.util.Objects.requireNonNull;

/**
 * What one Postgres major accepts, as its own {@code pg_settings} view and catalogs say, so that the API can check a
 * setting without a running server. The files under {@code pgsettings/} are written from the real binaries by
 * SettingsCatalogTest, which also fails when they no longer match them.
 * <p>
 * Besides the settings, the catalog keeps the values some string settings must take from the server's own
 * catalogs: the time zone names ({@code pg_timezone_names}) and text search configurations ({@code pg_ts_config}).
 */
public final class SettingsCatalog {
    /** Settings whose legal values come from a server catalog, kept in {@code pgNN-values.tsv}. */
    public static final List<String> LISTED = List.of("TimeZone", "default_text_search_config");

    private final int major;
    private final String version;
    private final Map<String, Setting> settings;
    private final Map<String, Set<String>> values;

    public SettingsCatalog(int major, String version, Collection<Setting> settings, Map<String, Set<String>> values) {
        this.major = major;
        this.version = requireNonNull(version, "version is null");
        Map<String, Setting> byName = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        settings.stream().sorted(Comparator.comparing(Setting::name)).forEach(s -> byName.put(s.name(), s));
        this.settings = Collections.unmodifiableMap(byName);
        Map<String, Set<String>> lists = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        values.forEach((name, list) -> lists.put(name, Collections.unmodifiableSet(new TreeSet<>(list))));
        this.values = Collections.unmodifiableMap(lists);
    }

    /** The catalog bundled for {@code major}. */
    public static SettingsCatalog bundled(int major) {
        String settingsText = resource("pg" + major + ".tsv");
        String valuesText = resource("pg" + major + "-values.tsv");
        List<String> lines = content(settingsText);
        String version = settingsText.lines().findFirst().orElse("").replaceFirst("^# Postgres ", "")
                .replaceFirst(":.*$", "");
        List<Setting> settings = lines.stream().map(Setting::fromLine).toList();
        Map<String, Set<String>> values = new LinkedHashMap<>();
        for (String line : content(valuesText)) {
            String[] f = line.split("\t", 2);
            values.computeIfAbsent(f[0], k -> new TreeSet<>()).add(f[1]);
        }
        return new SettingsCatalog(major, version, settings, values);
    }

    public int major() {
        return major;
    }

    /** The setting, found as Postgres finds it: whatever the case of the name. */
    public Optional<Setting> find(String name) {
        return Optional.ofNullable(settings.get(name));
    }

    public Collection<Setting> settings() {
        return settings.values();
    }

    /** Whether {@code value} is, case aside, one the server lists for {@code setting} (see {@link #LISTED}). */
    public boolean listed(String setting, String value) {
        Set<String> list = values.getOrDefault(setting, Set.of());
        return list.stream().anyMatch(v -> v.equalsIgnoreCase(value));
    }

    /** The settings file's text: what SettingsCatalogTest compares with the resource. */
    public String settingsText() {
        StringBuilder out = new StringBuilder("# Postgres " + version + ": pg_settings as name, context, vartype,"
                + " unit, min_val, max_val, enumvals (|-separated)\n"
                + "# Written by SettingsCatalogTest from the real binaries; do not edit.\n");
        settings.values().forEach(s -> out.append(s.toLine()).append('\n'));
        return out.toString();
    }

    /** The values file's text, one {@code setting<TAB>value} a line. */
    public String valuesText() {
        StringBuilder out = new StringBuilder("# Postgres " + version + ": values listed by the server's catalogs for "
                + String.join(", ", LISTED) + "\n"
                + "# Written by SettingsCatalogTest from the real binaries; do not edit.\n");
        values.forEach((name, list) -> list.forEach(v -> out.append(name).append('\t').append(v).append('\n')));
        return out.toString();
    }

    private static List<String> content(String text) {
        List<String> lines = new ArrayList<>();
        text.lines().filter(l -> !l.isBlank() && !l.startsWith("#")).forEach(lines::add);
        return lines;
    }

    static String resource(String file) {
        String path = "/pgsettings/" + file;
        try (InputStream in = SettingsCatalog.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("no settings catalog " + path + " on the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("while reading " + path, e);
        }
    }

    @Override
    public String toString() {
        return "settings of Postgres " + version + " (" + settings.size() + ")";
    }
}
