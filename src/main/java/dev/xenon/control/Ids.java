package dev.xenon.control;

import java.security.SecureRandom;
import java.util.List;
import java.util.UUID;

/** Generates resource ids in Neon's formats (adjective-noun words plus random tails). */
public final class Ids {
    private static final List<String> ADJECTIVES = List.of(
            "ancient", "autumn", "billowing", "bitter", "black", "blue", "bold", "broad", "broken", "calm",
            "cold", "cool", "crimson", "curly", "damp", "dark", "dawn", "delicate", "divine", "dry",
            "empty", "falling", "fancy", "flat", "floral", "fragrant", "frosty", "gentle", "green", "hidden",
            "holy", "icy", "jolly", "late", "lingering", "little", "lively", "long", "lucky", "misty",
            "morning", "muddy", "mute", "nameless", "noisy", "odd", "old", "orange", "patient", "plain",
            "polished", "proud", "purple", "quiet", "rapid", "raspy", "red", "restless", "rough", "round",
            "royal", "shiny", "shrill", "shy", "silent", "small", "snowy", "soft", "solitary", "sparkling",
            "spring", "square", "steep", "still", "summer", "super", "sweet", "throbbing", "tight", "tiny",
            "twilight", "wandering", "weathered", "white", "wild", "winter", "wispy", "withered", "yellow", "young");
    private static final List<String> NOUNS = List.of(
            "art", "band", "bar", "base", "bird", "block", "boat", "bonus", "bread", "breeze",
            "brook", "bush", "butterfly", "cake", "cell", "cherry", "cloud", "credit", "darkness", "dawn",
            "dew", "disk", "dream", "dust", "feather", "field", "fire", "firefly", "flower", "fog",
            "forest", "frog", "frost", "glade", "glitter", "grass", "hall", "hat", "haze", "heart",
            "hill", "king", "lab", "lake", "leaf", "limit", "math", "meadow", "mode", "moon",
            "morning", "mountain", "mouse", "mud", "night", "paper", "pine", "poetry", "pond", "queen",
            "rain", "recipe", "resonance", "rice", "river", "salad", "scene", "sea", "shadow", "shape",
            "silence", "sky", "smoke", "snow", "snowflake", "sound", "star", "sun", "sunset", "surf",
            "term", "thunder", "tooth", "tree", "truth", "union", "unit", "violet", "voice", "water",
            "waterfall", "wave", "wildflower", "wind", "wood");
    private static final String ALPHANUMERIC = "abcdefghijklmnopqrstuvwxyz0123456789";
    private static final String PASSWORD_ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    private final SecureRandom random = new SecureRandom();

    public String project() {
        return words() + "-" + digits(8);
    }

    public String organization() {
        return "org-" + words() + "-" + digits(8);
    }

    public String branch() {
        return "br-" + words() + "-" + chars(ALPHANUMERIC, 8);
    }

    public String endpoint() {
        return "ep-" + words() + "-" + chars(ALPHANUMERIC, 8);
    }

    public UUID operation() {
        return UUID.randomUUID();
    }

    /** Role passwords look like Neon's: {@code npg_} and 12 alphanumerics. */
    public String rolePassword() {
        return "npg_" + chars(PASSWORD_ALPHABET, 12);
    }

    /** API key tokens: {@code napi_} and 64 lowercase alphanumerics (about 330 bits). */
    public String apiKeyToken() {
        return "napi_" + chars(ALPHANUMERIC, 64);
    }

    public String branchName() {
        return "br-" + words();
    }

    private String words() {
        return ADJECTIVES.get(random.nextInt(ADJECTIVES.size())) + "-" + NOUNS.get(random.nextInt(NOUNS.size()));
    }

    private String digits(int count) {
        return chars("0123456789", count);
    }

    private String chars(String alphabet, int count) {
        StringBuilder out = new StringBuilder(count);
        for (int i = 0; i < count; i++) {
            out.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return out.toString();
    }
}
