import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Build step (run by exec-maven-plugin with the JDK's source launcher): copies a file unless the target already holds
 * the same bytes. The launcher's libraries jar is assembled again by every build (every mvn test); the class-data
 * archive made at package is valid only for the file, size and time, it was made with, so an unchanged jar must keep
 * its time.
 * <pre>java src/build/CopyIfChanged.java FROM TO</pre>
 */
public final class CopyIfChanged {

    private CopyIfChanged() {
    }

    public static void main(String[] args) throws Exception {
        Path from = Path.of(args[0]);
        Path to = Path.of(args[1]);
        if (Files.exists(to) && Files.mismatch(from, to) == -1) {
            return;
        }
        Files.createDirectories(to.getParent());
        Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
}
