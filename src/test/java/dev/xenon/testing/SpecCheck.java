package dev.xenon.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.ExecutionContext;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaContext;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.dialect.Dialect;
import com.networknt.schema.dialect.Dialects;
import com.networknt.schema.format.Format;
import com.networknt.schema.keyword.AnnotationKeyword;
import com.networknt.schema.path.PathType;

import java.io.IOException;
import java.io.StringReader;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Validates an API response against Neon's official OpenAPI document (the {@code @neondatabase/api-client} npm
 * package that {@code e2e/package-lock.json} pins; {@code npm ci} in {@code e2e/} installs it).
 *
 * <p>For each response it finds the operation whose path template matches (literal segments win over templated
 * ones), requires the status to be declared for it (or covered by {@code default}, which every Neon operation
 * declares as {@code GeneralError}; a 2xx must be declared explicitly), and validates the JSON body against the
 * response schema with OpenAPI 3.0 semantics ({@code nullable}, {@code $ref} into components, allOf/oneOf, enum,
 * required, formats, ranges, patterns). Any mismatch is an {@link AssertionError} naming the route, the status, the
 * JSON path of each offending field and the rule it breaks.
 *
 * <p>The spec is loaded once per JVM; compiled response schemas are cached per operation and status.
 */
public final class SpecCheck {
    /** Where {@code npm ci} in {@code e2e/} puts the spec, relative to the project root. */
    static final String SPEC_RELATIVE_PATH = "e2e/node_modules/@neondatabase/api-client/public-v2-for-users.gen.yaml";
    /** System property that overrides the spec location (a path to the YAML file). */
    static final String SPEC_PROPERTY = "xenon.test.neonSpec";

    /** The name the schema registry knows the document by ({@code .invalid} never resolves). */
    private static final String SPEC_IRI = "https://neon-spec.invalid/public-v2-for-users.json";
    private static final String API_BASE = "/api/v2";
    private static final int MAX_BODY_IN_MESSAGE = 2_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path specFile;
    private final String specJson;
    private final List<Route> routes;
    private final SchemaRegistry registry;
    private final Map<String, Schema> schemas = new ConcurrentHashMap<>();

    /** The shared SpecCheck, or the RuntimeException that loading it ended with (reported on every use). */
    private static volatile Object shared;

    /** The JVM-wide instance; the spec is read and checked on first use. */
    public static SpecCheck shared() {
        Object state = shared;
        if (state == null) {
            synchronized (SpecCheck.class) {
                state = shared;
                if (state == null) {
                    try {
                        state = load(locateSpec(Path.of("").toAbsolutePath(), System.getProperty(SPEC_PROPERTY)));
                    } catch (RuntimeException e) {
                        state = e;
                    }
                    shared = state;
                }
            }
        }
        if (state instanceof SpecCheck check) {
            return check;
        }
        RuntimeException failure = (RuntimeException) state;
        throw new IllegalStateException(failure.getMessage(), failure);
    }

    private SpecCheck(Path specFile, JsonNode spec) {
        this.specFile = specFile;
        this.specJson = spec.toString();
        this.routes = routesOf(spec);
        // OpenAPI 3.0 dialect: `nullable`, `discriminator`, `example` etc. are understood; formats are asserted
        // (date-time, uuid, ...), not just collected as annotations.
        // Keywords the dialect does not know (the document's own top-level keys such as `paths`, and `x-*`
        // extensions) are annotations: without this, each is logged as a warning.
        Dialect dialect = Dialect.builder(Dialects.getOpenApi30())
                .unknownKeywordFactory((keyword, context) -> new AnnotationKeyword(keyword))
                // The library knows JSON Schema's formats (date-time, uuid, ...) but not OpenAPI's integer widths.
                .format(new IntegerWidth("int32", Integer.MIN_VALUE, Integer.MAX_VALUE))
                .format(new IntegerWidth("int64", Long.MIN_VALUE, Long.MAX_VALUE))
                .build();
        this.registry = SchemaRegistry.withDialect(dialect, builder -> builder
                .schemaRegistryConfig(SchemaRegistryConfig.builder()
                        .formatAssertionsEnabled(true)
                        .typeLoose(false)
                        .pathType(PathType.JSON_PATH)
                        .build())
                // The registry resolves $refs within the document it loads from SPEC_IRI: serve it the tree read
                // above (aliases resolved), as JSON. Nothing else is ever fetched.
                .schemas(iri -> iri.equals(SPEC_IRI) ? specJson : null));
    }

    static SpecCheck load(Path specFile) {
        JsonNode spec;
        try {
            spec = readYaml(Files.readString(specFile));
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("cannot read Neon's OpenAPI document " + specFile + ": " + e, e);
        }
        if (spec == null || !spec.path("openapi").asText().startsWith("3.0")) {
            throw new IllegalStateException(specFile + " is not an OpenAPI 3.0 document");
        }
        return new SpecCheck(specFile, spec);
    }

    /**
     * Reads YAML into a Jackson tree, resolving anchors and aliases (the spec uses them, e.g. for
     * {@code history_retention_seconds}; Jackson's own YAML parser would turn an alias into a plain string).
     * Scalars keep YAML's implicit typing except timestamps, which stay strings as JSON has no such type.
     */
    static JsonNode readYaml(String text) {
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(Math.max(options.getCodePointLimit(), text.length() * 2));
        options.setMaxAliasesForCollections(1_000);
        Node root = new Yaml(options).compose(new StringReader(text));
        return root == null ? null : toJson(root, new IdentityHashMap<>());
    }

    private static JsonNode toJson(Node node, IdentityHashMap<Node, JsonNode> seen) {
        JsonNode done = seen.get(node);
        if (done != null) {
            return done; // an alias: the same composed node again
        }
        JsonNodeFactory f = JsonNodeFactory.instance;
        JsonNode result;
        switch (node) {
            case MappingNode map -> {
                ObjectNode object = f.objectNode();
                seen.put(node, object);
                for (NodeTuple tuple : map.getValue()) {
                    if (!(tuple.getKeyNode() instanceof ScalarNode key)) {
                        throw new IllegalArgumentException("non-scalar mapping key at " + node.getStartMark());
                    }
                    object.set(key.getValue(), toJson(tuple.getValueNode(), seen));
                }
                result = object;
            }
            case SequenceNode seq -> {
                ArrayNode array = f.arrayNode();
                seen.put(node, array);
                for (Node item : seq.getValue()) {
                    array.add(toJson(item, seen));
                }
                result = array;
            }
            case ScalarNode scalar -> {
                String v = scalar.getValue();
                Tag tag = scalar.getTag();
                if (Tag.NULL.equals(tag)) {
                    result = f.nullNode();
                } else if (Tag.BOOL.equals(tag)) {
                    result = f.booleanNode(switch (v.toLowerCase(Locale.ROOT)) {
                        case "true", "yes", "y", "on" -> true;
                        default -> false;
                    });
                } else if (Tag.INT.equals(tag) && v.matches("[-+]?[0-9]+")) {
                    result = f.numberNode(new BigInteger(v.startsWith("+") ? v.substring(1) : v));
                } else if (Tag.FLOAT.equals(tag) && v.matches("[-+]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][-+]?[0-9]+)?")) {
                    result = f.numberNode(new BigDecimal(v.startsWith("+") ? v.substring(1) : v));
                } else {
                    result = f.textNode(v);
                }
                seen.put(node, result);
            }
            default -> throw new IllegalArgumentException("unexpected YAML node " + node.getNodeId());
        }
        return result;
    }

    /** The spec file: {@code override} if given, else {@link #SPEC_RELATIVE_PATH} under start or a parent of it. */
    static Path locateSpec(Path start, String override) {
        if (override != null && !override.isBlank()) {
            Path p = Path.of(override).toAbsolutePath();
            if (!Files.isRegularFile(p)) {
                throw new IllegalStateException("-D" + SPEC_PROPERTY + "=" + override + " does not name a file");
            }
            return p;
        }
        // Maven runs tests from the project root; also look upwards, for runs started in a subdirectory.
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(SPEC_RELATIVE_PATH);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("Neon's OpenAPI document was not found at " + start.resolve(SPEC_RELATIVE_PATH)
                + " (nor in a parent directory). Run `npm ci` in e2e/ to install it (it comes with the "
                + "@neondatabase/api-client package pinned by e2e/package-lock.json), or point -D" + SPEC_PROPERTY
                + " at the YAML file.");
    }

    /** The spec file in use. */
    public Path specFile() {
        return specFile;
    }

    /**
     * Checks one response.
     *
     * @param method        HTTP method, any case
     * @param pathWithQuery path relative to {@code /api/v2}, e.g. {@code /projects/abc-123/branches?limit=2}
     * @param status        HTTP status of the response
     * @param body          response body as received (empty or null for none)
     * @throws AssertionError when the response does not conform to the spec
     */
    public void check(String method, String pathWithQuery, int status, String body) {
        String verb = method.toLowerCase(Locale.ROOT);
        String request = method.toUpperCase(Locale.ROOT) + " " + pathWithQuery;
        String path = pathOnly(pathWithQuery);
        Operation op = find(verb, path);
        if (op == null) {
            String[] segments = segments(path);
            List<String> sameRoute = routes.stream().filter(r -> r.matches(segments))
                    .map(r -> r.template + " has " + r.operations.keySet().stream()
                            .map(v -> v.toUpperCase(Locale.ROOT)).collect(Collectors.joining(", ")))
                    .toList();
            throw new AssertionError("Neon spec: no operation matches " + request + (sameRoute.isEmpty()
                    ? " (no path template in the spec matches this path)"
                    : " (the spec has no " + method.toUpperCase(Locale.ROOT) + " there: " + sameRoute + ")"));
        }
        String where = request + " (spec: " + op.describe() + ")";

        String code = String.valueOf(status);
        JsonNode response = op.responses.get(code);
        String responseKey = code;
        if (response == null) {
            if (status >= 200 && status < 300) {
                throw new AssertionError("Neon spec: " + where + " answered " + status
                        + ", but the spec declares no such success status; declared: " + op.declaredStatuses());
            }
            response = op.responses.get("default");
            responseKey = "default";
            if (response == null) {
                throw new AssertionError("Neon spec: " + where + " answered " + status
                        + ", which the spec does not declare and the operation has no default response; declared: "
                        + op.declaredStatuses());
            }
        }
        String responsePointer = op.pointer + "/responses/" + escape(responseKey);
        // A response may itself be a $ref into components/responses.
        for (int hops = 0; response.has("$ref") && hops < 8; hops++) {
            String ref = response.get("$ref").asText();
            responsePointer = ref.substring(1);
            response = op.spec.at(responsePointer);
        }

        boolean empty = body == null || body.isBlank();
        JsonNode content = response.path("content");
        if (content.isMissingNode() || content.isEmpty()) {
            if (!empty) {
                throw new AssertionError("Neon spec: " + where + " status " + status + " (response '" + responseKey
                        + "'): the spec declares no body for this status, but one was sent: " + truncate(body));
            }
            return;
        }
        JsonNode media = content.get("application/json");
        if (media == null) {
            return; // e.g. application/octet-stream downloads: nothing to validate as JSON
        }
        if (empty) {
            throw new AssertionError("Neon spec: " + where + " status " + status + " (response '" + responseKey
                    + "'): the spec declares an application/json body, but the response body is empty");
        }
        if (!media.has("schema")) {
            return;
        }
        String schemaPointer = responsePointer + "/content/" + escape("application/json") + "/schema";

        JsonNode instance;
        try {
            instance = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new AssertionError("Neon spec: " + where + " status " + status + ": body is not JSON ("
                    + e.getOriginalMessage() + "): " + truncate(body));
        }

        Schema schema = schemas.computeIfAbsent(schemaPointer,
                p -> registry.getSchema(SchemaLocation.of(SPEC_IRI + "#" + fragment(p))));
        List<Error> errors = schema.validate(instance);
        if (!errors.isEmpty()) {
            StringBuilder msg = new StringBuilder("Neon spec: response does not conform to the spec\n  ")
                    .append(where).append("\n  status ").append(status).append(" (response '").append(responseKey)
                    .append("', schema ").append(describeSchema(schemaPointer, op.spec)).append(")\n");
            for (Error error : errors) {
                msg.append("  - ").append(describe(error)).append('\n');
            }
            msg.append("  body: ").append(truncate(body));
            throw new AssertionError(msg.toString());
        }
    }

    private static String describe(Error error) {
        String at = error.getInstanceLocation() == null ? "$" : error.getInstanceLocation().toString();
        String message = error.getMessage();
        // networknt prefixes messages with the instance location; keep the rule only.
        if (message.startsWith(at + ": ")) {
            message = message.substring(at.length() + 2);
        }
        String rule = error.getKeyword() == null ? "" : "[" + error.getKeyword() + "] ";
        String schemaAt = error.getSchemaLocation() == null ? "" : shortSchemaLocation(error.getSchemaLocation());
        JsonNode value = error.getInstanceNode();
        String found = value == null || value.isContainerNode() ? "" : "; value " + abbreviate(value.toString(), 120);
        return "at " + at + ": " + rule + message + found + (schemaAt.isEmpty() ? "" : "  (rule at " + schemaAt + ")");
    }

    private static String shortSchemaLocation(SchemaLocation location) {
        return location.getFragment() == null ? location.toString() : "#" + location.getFragment();
    }

    private static String describeSchema(String pointer, JsonNode spec) {
        JsonNode schema = spec.at(pointer);
        if (schema.has("$ref")) {
            return schema.get("$ref").asText();
        }
        return "#" + pointer;
    }

    // ---------------------------------------------------------------- routing

    /** The operationId that {@link #check} would use for this request, or null when none matches. */
    String operationId(String method, String pathWithQuery) {
        Operation op = find(method.toLowerCase(Locale.ROOT), pathOnly(pathWithQuery));
        return op == null ? null : op.operationId;
    }

    private Operation find(String verb, String path) {
        String[] segments = segments(path);
        Route best = null;
        for (Route route : routes) {
            if (!route.operations.containsKey(verb) || !route.matches(segments)) {
                continue;
            }
            if (best == null || Route.SPECIFICITY.compare(route, best) < 0) {
                best = route;
            }
        }
        return best == null ? null : best.operations.get(verb);
    }

    private static String pathOnly(String pathWithQuery) {
        String p = pathWithQuery;
        int cut = indexOfAny(p, '?', '#');
        if (cut >= 0) {
            p = p.substring(0, cut);
        }
        if (p.startsWith(API_BASE + "/")) {
            p = p.substring(API_BASE.length());
        }
        return p;
    }

    private static int indexOfAny(String s, char a, char b) {
        int i = s.indexOf(a);
        int j = s.indexOf(b);
        return i < 0 ? j : j < 0 ? i : Math.min(i, j);
    }

    private static String[] segments(String path) {
        String trimmed = path.startsWith("/") ? path.substring(1) : path;
        if (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        return trimmed.isEmpty() ? new String[0] : trimmed.split("/", -1);
    }

    private static List<Route> routesOf(JsonNode spec) {
        List<Route> routes = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> paths = spec.path("paths").fields();
        while (paths.hasNext()) {
            Map.Entry<String, JsonNode> entry = paths.next();
            String template = entry.getKey();
            Map<String, Operation> ops = new LinkedHashMap<>();
            for (String verb : List.of("get", "put", "post", "delete", "options", "head", "patch", "trace")) {
                JsonNode op = entry.getValue().get(verb);
                if (op != null) {
                    String pointer = "/paths/" + escape(template) + "/" + verb;
                    ops.put(verb, new Operation(verb, template, op.path("operationId").asText("?"),
                            op.path("responses"), pointer, spec));
                }
            }
            routes.add(new Route(template, segments(template), ops));
        }
        return List.copyOf(routes);
    }

    private record Route(String template, String[] segments, Map<String, Operation> operations) {
        /** Fewer templated segments first, and at the first difference a literal segment beats a parameter. */
        static final Comparator<Route> SPECIFICITY = (a, b) -> {
            for (int i = 0; i < Math.min(a.segments.length, b.segments.length); i++) {
                boolean pa = isParam(a.segments[i]);
                boolean pb = isParam(b.segments[i]);
                if (pa != pb) {
                    return pa ? 1 : -1;
                }
            }
            return a.template.compareTo(b.template);
        };

        boolean matches(String[] actual) {
            if (actual.length != segments.length) {
                return false;
            }
            for (int i = 0; i < segments.length; i++) {
                if (isParam(segments[i])) {
                    if (actual[i].isEmpty()) {
                        return false;
                    }
                } else if (!segments[i].equals(decode(actual[i]))) {
                    return false;
                }
            }
            return true;
        }

        static boolean isParam(String segment) {
            return segment.startsWith("{") && segment.endsWith("}");
        }
    }

    private record Operation(String verb, String template, String operationId, JsonNode responses, String pointer,
                             JsonNode spec) {
        String describe() {
            return verb.toUpperCase(Locale.ROOT) + " " + template + ", operationId " + operationId;
        }

        String declaredStatuses() {
            List<String> codes = new ArrayList<>();
            responses.fieldNames().forEachRemaining(codes::add);
            return codes.stream().collect(Collectors.joining(", "));
        }
    }

    /** OpenAPI's {@code format: int32 / int64}: an integer must fit the width. Other types are left to `type`. */
    private record IntegerWidth(String name, long min, long max) implements Format {
        @Override
        public String getName() {
            return name;
        }

        @Override
        public boolean matches(ExecutionContext executionContext, SchemaContext schemaContext, JsonNode value) {
            if (!value.isNumber()) {
                return true;
            }
            if (value.isIntegralNumber()) {
                return value.canConvertToLong() && value.longValue() >= min && value.longValue() <= max;
            }
            double d = value.doubleValue();
            return d == Math.rint(d) && d >= min && d <= max;
        }
    }

    // ---------------------------------------------------------------- helpers

    /** JSON Pointer escaping of one reference token (RFC 6901). */
    private static String escape(String token) {
        return token.replace("~", "~0").replace("/", "~1");
    }

    /** A JSON Pointer as a URI fragment: '{' and '}' (path templates) are not allowed there unencoded. */
    private static String fragment(String pointer) {
        return pointer.replace("%", "%25").replace("{", "%7B").replace("}", "%7D");
    }

    private static String decode(String segment) {
        try {
            return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return segment;
        }
    }

    private static String truncate(String body) {
        return body == null ? "<none>" : abbreviate(body, MAX_BODY_IN_MESSAGE);
    }

    private static String abbreviate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + "…";
    }
}
