package dev.replyclock.ingest.imap;

import dev.replyclock.config.SourceConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The token of {@code oauth2: {token: ...}}, or the content of {@code oauth2: {token_file: path}} read
 * again at every call (so a process that refreshes the file is picked up at the next connect).
 */
public final class StaticTokenProvider implements AccessTokenProvider {

    private final String token;
    private final Path tokenFile;

    private StaticTokenProvider(String token, Path tokenFile) {
        this.token = token;
        this.tokenFile = tokenFile;
    }

    /** The provider for a config's {@code oauth2} entry, or null when the config logs in with a password. */
    public static AccessTokenProvider of(SourceConfig.Imap.OAuth2 oauth2) {
        if (oauth2 == null) {
            return null;
        }
        return new StaticTokenProvider(oauth2.token(), oauth2.tokenFile());
    }

    @Override
    public String accessToken() throws IOException {
        if (tokenFile == null) {
            if (token == null || token.isBlank()) {
                throw new IOException("oauth2 token is empty");
            }
            return token.strip();
        }
        String text = Files.readString(tokenFile, StandardCharsets.UTF_8).strip();
        if (text.isEmpty()) {
            throw new IOException("oauth2 token file " + tokenFile + " is empty");
        }
        return text;
    }
}
