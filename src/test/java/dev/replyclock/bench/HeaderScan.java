package dev.replyclock.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The baseline of the start-up benchmark's analyze figure: the least a header reader can do. Reads every file under
 * the given folders up to its first blank line and counts header lines; no parsing, no threading, no report.
 */
public final class HeaderScan {

    private HeaderScan() {
    }

    public static void main(String[] args) throws IOException {
        long files = 0;
        long headerLines = 0;
        byte[] buffer = new byte[16 * 1024];
        for (String folder : args) {
            List<Path> all;
            try (Stream<Path> walk = Files.walk(Path.of(folder))) {
                all = walk.filter(Files::isRegularFile).toList();
            }
            for (Path file : all) {
                files++;
                headerLines += headerLines(file, buffer);
            }
        }
        System.out.println(files + " files, " + headerLines + " header lines");
    }

    /** Lines up to the first empty one (LF or CRLF endings). */
    private static long headerLines(Path file, byte[] buffer) throws IOException {
        long lines = 0;
        int previous = '\n';
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                for (int i = 0; i < n; i++) {
                    int b = buffer[i];
                    if (b == '\n') {
                        if (previous == '\n') {
                            return lines;
                        }
                        lines++;
                    }
                    if (b != '\r') {
                        previous = b;
                    }
                }
            }
        }
        return lines;
    }
}
