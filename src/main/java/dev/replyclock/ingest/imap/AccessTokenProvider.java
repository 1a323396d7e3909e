package dev.replyclock.ingest.imap;

import java.io.IOException;

/**
 * Supplies the OAuth 2.0 access token for an IMAP SASL XOAUTH2 login; asked at every connect, so an
 * implementation may refresh (an Azure AD client-credentials provider, a token file rotated by a sidecar).
 */
@FunctionalInterface
public interface AccessTokenProvider {

    /** A current access token; never logged. */
    String accessToken() throws IOException;
}
