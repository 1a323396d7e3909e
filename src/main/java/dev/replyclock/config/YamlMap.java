package dev.replyclock.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * A YAML map being read: remembers which keys were asked for, so that {@link #finish()} can report
 * the others as unknown. A key holding {@code null} ({@code key:} or {@code key: ~}) counts as absent.
 */
final class YamlMap {

    private record Entry(ScalarNode key, Node value) {
    }

    private final YamlNode owner;
    private final Map<String, Entry> entries = new LinkedHashMap<>();
    private final Set<String> consumed = new HashSet<>();
    private final boolean broken;

    YamlMap(YamlNode owner, MappingNode mapping) {
        this.owner = owner;
        this.broken = false;
        for (NodeTuple tuple : mapping.getValue()) {
            if (!(tuple.getKeyNode() instanceof ScalarNode key) || YamlNode.isNull(key)) {
                owner.child(tuple.getKeyNode(), "?").error("keys must be strings");
                continue;
            }
            if (entries.containsKey(key.getValue())) {
                owner.child(key, key.getValue()).error("duplicate key");
                continue;
            }
            entries.put(key.getValue(), new Entry(key, tuple.getValueNode()));
        }
    }

    private YamlMap(YamlNode owner) {
        this.owner = owner;
        this.broken = true;
    }

    /** Stands in for a node that is no map (already reported): empty, and reports nothing more. */
    static YamlMap broken(YamlNode owner) {
        return new YamlMap(owner);
    }

    YamlNode node() {
        return owner;
    }

    String path() {
        return owner.path();
    }

    /** The value under {@code key}, or null when absent or null; marks the key as known. */
    YamlNode get(String key) {
        consumed.add(key);
        Entry e = entries.get(key);
        if (e == null || YamlNode.isNull(e.value())) {
            return null;
        }
        return owner.child(e.value(), key);
    }

    /** Like {@link #get}, reporting {@code required} (at this map's line) when absent. */
    YamlNode required(String key) {
        YamlNode value = get(key);
        if (value == null && !broken) {
            Entry e = entries.get(key);
            int line = e != null ? e.key().getStartMark().getLine() + 1 : owner.line();
            owner.context().problems().add(line, YamlNode.join(owner.path(), key), "required");
        }
        return value;
    }

    String string(String key, String fallback) {
        YamlNode n = get(key);
        if (n == null) {
            return fallback;
        }
        return n.asString();
    }

    String requiredString(String key) {
        YamlNode n = required(key);
        return n == null ? null : n.asString();
    }

    Integer integer(String key, Integer fallback) {
        YamlNode n = get(key);
        return n == null ? fallback : n.asInt();
    }

    Integer requiredInteger(String key) {
        YamlNode n = required(key);
        return n == null ? null : n.asInt();
    }

    boolean bool(String key, boolean fallback) {
        YamlNode n = get(key);
        Boolean b = n == null ? null : n.asBool();
        return b == null ? fallback : b;
    }

    Path path(String key, Path fallback) {
        YamlNode n = get(key);
        return n == null ? fallback : n.asPath();
    }

    /** An integer in {@code [min, max]}, reported otherwise ({@code must be between 1 and 65535}). */
    Integer integerInRange(String key, Integer fallback, int min, int max) {
        YamlNode n = get(key);
        if (n == null) {
            return fallback;
        }
        Integer value = n.asInt();
        if (value != null && (value < min || value > max)) {
            n.error("must be between " + min + " and " + max);
            return null;
        }
        return value;
    }

    /**
     * A duration in {@code [min, max]}, reported otherwise ({@code must be between 1s and 365d}); the bounds keep
     * hostile values from overflowing the date arithmetic and schedulers downstream.
     */
    Duration durationInRange(String key, Duration fallback, String min, String max, boolean required) {
        YamlNode n = required ? required(key) : get(key);
        if (n == null) {
            return fallback;
        }
        Duration value = n.asDuration();
        if (value != null && (value.compareTo(Durations.parse(min)) < 0 || value.compareTo(Durations.parse(max)) > 0)) {
            n.error("must be between " + min + " and " + max);
            return null;
        }
        return value;
    }

    /** The key itself as a node (its line and path), or null when the map has no such key. */
    YamlNode key(String key) {
        Entry e = entries.get(key);
        return e == null ? null : owner.child(e.key(), key);
    }

    /** A list of strings, empty when absent. */
    List<String> strings(String key, boolean lowerCase) {
        YamlNode n = get(key);
        return n == null ? List.of() : List.copyOf(n.asStrings(lowerCase));
    }

    /** A map of named entries ({@code calendars}, {@code teams}...), in file order; empty when absent. */
    Map<String, YamlNode> namedEntries(String key) {
        YamlNode n = get(key);
        if (n == null) {
            return Map.of();
        }
        return n.asMap().all();
    }

    /** Every entry, in file order, null values included (their readers report the kind); marks all keys as known. */
    Map<String, YamlNode> all() {
        Map<String, YamlNode> out = new LinkedHashMap<>();
        for (Map.Entry<String, Entry> e : entries.entrySet()) {
            consumed.add(e.getKey());
            out.put(e.getKey(), owner.child(e.getValue().value(), e.getKey()));
        }
        return out;
    }

    /** Reports every key that nobody asked for as unknown. */
    void finish() {
        for (Map.Entry<String, Entry> e : entries.entrySet()) {
            if (!consumed.contains(e.getKey())) {
                owner.child(e.getValue().key(), e.getKey()).error("unknown key");
            }
        }
    }
}
