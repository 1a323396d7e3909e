package dev.replyclock.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * A node of the composed YAML tree together with its key path ({@code mailboxes[1].source.type}).
 * The {@code as...} conversions report a problem at the node's line and path and return {@code null}
 * (or an empty value) when the node has the wrong kind, so that parsing goes on and finds every problem.
 * String values get {@code ${VAR}} replaced from the environment.
 */
final class YamlNode {

    /** What every node of one file shares. */
    record Context(Problems problems, Function<String, String> env, Path baseDir) {
    }

    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");
    private static final Pattern DECIMAL = Pattern.compile("[-+]?[0-9]+");

    private final Node node;
    private final String path;
    private final Context context;

    private YamlNode(Node node, String path, Context context) {
        this.node = node;
        this.path = path;
        this.context = context;
    }

    static YamlNode root(Node node, Context context) {
        return new YamlNode(node, "", context);
    }

    static String join(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    YamlNode child(Node child, String key) {
        return new YamlNode(child, join(path, key), context);
    }

    String path() {
        return path;
    }

    /** 1-based line where this node starts. */
    int line() {
        return node.getStartMark().getLine() + 1;
    }

    Context context() {
        return context;
    }

    /** Reports a problem at this node's line and path. */
    void error(String message) {
        context.problems().add(line(), path, message);
    }

    boolean isNull() {
        return isNull(node);
    }

    static boolean isNull(Node node) {
        return node instanceof ScalarNode && Tag.NULL.equals(node.getTag());
    }

    boolean isScalar() {
        return node instanceof ScalarNode && !isNull();
    }

    boolean isList() {
        return node instanceof SequenceNode;
    }

    boolean isMap() {
        return node instanceof MappingNode;
    }

    /** The map, or an empty map that reports nothing more when this is no map. */
    YamlMap asMap() {
        if (node instanceof MappingNode mapping) {
            return new YamlMap(this, mapping);
        }
        error("expected a map");
        return YamlMap.broken(this);
    }

    /** The items, each with path {@code path[i]}; empty when this is no list. */
    List<YamlNode> asList() {
        if (!(node instanceof SequenceNode sequence)) {
            error("expected a list");
            return List.of();
        }
        List<YamlNode> items = new ArrayList<>();
        List<Node> values = sequence.getValue();
        for (int i = 0; i < values.size(); i++) {
            items.add(new YamlNode(values.get(i), path + "[" + i + "]", context));
        }
        return items;
    }

    /** A scalar's text with {@code ${VAR}} replaced; null (reported) for a list, map, null or unset variable. */
    String asString() {
        if (!isScalar()) {
            error("expected a string");
            return null;
        }
        return substitute(((ScalarNode) node).getValue());
    }

    private String substitute(String value) {
        Matcher m = VARIABLE.matcher(value);
        StringBuilder out = new StringBuilder();
        boolean unset = false;
        while (m.find()) {
            String replacement = context.env().apply(m.group(1));
            if (replacement == null) {
                // names the variable only: the value it stands for may be a secret
                error("environment variable " + m.group(1) + " is not set");
                unset = true;
                replacement = "";
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return unset ? null : out.toString();
    }

    /** A plain decimal integer ({@code 993}, not {@code "993"} or {@code 0x3e1}); null (reported) otherwise. */
    Integer asInt() {
        if (isScalar() && Tag.INT.equals(node.getTag())) {
            String text = ((ScalarNode) node).getValue();
            if (DECIMAL.matcher(text).matches()) {
                try {
                    return Integer.valueOf(text);
                } catch (NumberFormatException tooLarge) {
                    error("integer " + abbreviated(text) + " is out of range (" + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE + ")");
                    return null;
                }
            }
        }
        error("expected an integer");
        return null;
    }

    /** A hostile 100,000-digit number is not echoed whole into the error. */
    private static String abbreviated(String text) {
        return text.length() <= 24 ? text : text.substring(0, 20) + "... (" + text.length() + " digits)";
    }

    /** {@code true} or {@code false} (any case); YAML 1.1's yes/no/on/off are refused. */
    Boolean asBool() {
        if (isScalar() && Tag.BOOL.equals(node.getTag())) {
            String text = ((ScalarNode) node).getValue().toLowerCase(Locale.ROOT);
            if (text.equals("true") || text.equals("false")) {
                return Boolean.valueOf(text);
            }
        }
        error("expected true or false");
        return null;
    }

    /** A duration {@code <n><s|m|h|d>}; null (reported) otherwise. */
    Duration asDuration() {
        String text = asString();
        if (text == null) {
            return null;
        }
        try {
            return Durations.parse(text);
        } catch (IllegalArgumentException e) {
            error(e.getMessage());
            return null;
        }
    }

    /** A path, resolved against the config file's folder. */
    Path asPath() {
        String text = asString();
        if (text == null) {
            return null;
        }
        try {
            return context.baseDir().resolve(text).normalize();
        } catch (java.nio.file.InvalidPathException e) {
            error("invalid path '" + text + "'");
            return null;
        }
    }

    /** A list of strings; items that are no string are reported and left out. */
    List<String> asStrings(boolean lowerCase) {
        List<String> out = new ArrayList<>();
        for (YamlNode item : asList()) {
            String s = item.asString();
            if (s != null) {
                out.add(lowerCase ? s.toLowerCase(Locale.ROOT) : s);
            }
        }
        return out;
    }
}
