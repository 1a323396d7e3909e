package dev.replyclock.config;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.composer.Composer;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Loads and validates a Replyclock YAML config (SPEC sections 11 and 13).
 *
 * <p>Every problem is collected, each as {@code <file name>:<line>: <key path>: <message>}, and thrown
 * together as one {@link ConfigException}. {@code ${VAR}} in string values is replaced from the environment;
 * relative paths are resolved against the config file's folder.
 */
public final class ConfigLoader {

    private ConfigLoader() {
    }

    /** Loads {@code file}, taking {@code ${VAR}} values from the process environment. */
    public static Config load(Path file) {
        return load(file, System::getenv);
    }

    /**
     * Loads {@code file}, taking {@code ${VAR}} values from {@code env} (null = not set).
     *
     * @throws ConfigException holding every problem found
     */
    public static Config load(Path file, Function<String, String> env) {
        String fileName = file.getFileName() == null ? file.toString() : file.getFileName().toString();
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new ConfigException(List.of(file + ": cannot read the configuration file: " + unreadable(e)));
        }
        Path baseDir = file.toAbsolutePath().getParent();
        return parse(fileName, text, baseDir, env);
    }

    /** Why a file could not be read, without the exception class names a user does not need. */
    private static String unreadable(IOException e) {
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        return e.getMessage() != null ? e.getMessage() : e.toString();
    }

    /**
     * What {@code new Yaml(options).compose(text)} does, without building a Yaml object: its constructor (never used
     * here: the tree is read node by node) creates a System.Logger, whose first use makes the JDK search every jar on
     * the class path for a logger service (50 ms of a 0.2 s check-config when the libraries are separate jars).
     */
    private static Node compose(String text, LoaderOptions options) {
        return new Composer(new ParserImpl(new StreamReader(new StringReader(text)), options), new Resolver(), options)
                .getSingleNode();
    }

    /** Parses YAML text as if read from {@code fileName} in {@code baseDir}. */
    static Config parse(String fileName, String text, Path baseDir, Function<String, String> env) {
        Problems problems = new Problems(fileName);
        Node root;
        try {
            LoaderOptions options = new LoaderOptions();
            options.setAllowDuplicateKeys(false);
            root = compose(text, options);
            if (root == null) { // empty document: every key has its default
                root = compose("{}", options);
            }
        } catch (MarkedYAMLException e) {
            // Problem and line only: the context snippet would quote the file, secrets included.
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            int line = mark == null ? 1 : mark.getLine() + 1;
            problems.add(line, "", "invalid YAML: " + e.getProblem());
            throw new ConfigException(problems.formatted());
        } catch (YAMLException e) {
            problems.add(1, "", "invalid YAML: " + e.getMessage());
            throw new ConfigException(problems.formatted());
        }
        if (AliasCycles.report(root, problems)) {
            throw new ConfigException(problems.formatted());
        }
        Config config = Config.from(YamlNode.root(root, new YamlNode.Context(problems, env, baseDir)));
        problems.throwIfAny();
        return config;
    }
}
