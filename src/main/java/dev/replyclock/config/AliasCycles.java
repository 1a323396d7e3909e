package dev.replyclock.config;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Finds a YAML alias that refers to a node containing it ({@code a: &x [*x]}). SnakeYAML composes such a
 * document into a cyclic graph; every reader after it would have to guard against walking it forever.
 */
final class AliasCycles {

    private final Problems problems;
    private final Set<Node> ancestors = Collections.newSetFromMap(new IdentityHashMap<>());

    private AliasCycles(Problems problems) {
        this.problems = problems;
    }

    /** Reports the first cycle as {@code <line>: <path>: ...}; true when one was found. */
    static boolean report(Node root, Problems problems) {
        return new AliasCycles(problems).walk(root, "", root.getStartMark().getLine() + 1);
    }

    private boolean walk(Node node, String path, int line) {
        if (node instanceof ScalarNode) {
            return false;
        }
        if (!ancestors.add(node)) {
            String anchor = node.getAnchor() == null ? "" : " *" + node.getAnchor();
            problems.add(line, path, "cyclic alias" + anchor + ": it refers to a node that contains it");
            return true;
        }
        try {
            if (node instanceof MappingNode mapping) {
                for (NodeTuple tuple : mapping.getValue()) {
                    Node key = tuple.getKeyNode();
                    String name = key instanceof ScalarNode scalar ? scalar.getValue() : "?";
                    if (walk(tuple.getValueNode(), YamlNode.join(path, name), key.getStartMark().getLine() + 1)) {
                        return true;
                    }
                }
            } else if (node instanceof SequenceNode sequence) {
                for (int i = 0; i < sequence.getValue().size(); i++) {
                    if (walk(sequence.getValue().get(i), path + "[" + i + "]", line)) {
                        return true;
                    }
                }
            }
            return false;
        } finally {
            ancestors.remove(node);
        }
    }
}
