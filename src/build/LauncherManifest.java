import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.Manifest;

/**
 * Build step (run by exec-maven-plugin with the JDK's source launcher): turns the class path that
 * dependency:build-classpath wrote (entries separated by ':') into the launcher jar's manifest Class-Path (entries
 * separated by spaces, which Maven's configuration cannot hold: it trims a lone space).
 * <pre>java src/build/LauncherManifest.java CLASSPATH_FILE MANIFEST_FILE</pre>
 */
public final class LauncherManifest {

    private LauncherManifest() {
    }

    public static void main(String[] args) throws Exception {
        String classPath = Files.readString(Path.of(args[0])).trim().replace(':', ' ');
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, classPath);
        Path out = Path.of(args[1]);
        Files.createDirectories(out.getParent());
        try (OutputStream o = Files.newOutputStream(out)) {
            manifest.write(o); // wraps the long line as a manifest must
        }
    }
}
