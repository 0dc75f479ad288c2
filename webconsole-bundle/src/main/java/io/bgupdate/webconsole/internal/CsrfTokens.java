package io.bgupdate.webconsole.internal;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Protection against cross-site requests for the page's POSTs. The Felix Web Console
 * authenticates every request (HTTP Basic in the Felix host, JAAS in Karaf), which a browser
 * also sends along with a form another site submits; so every POST must also carry a token that
 * only the page itself can know (a synchronizer token: an HMAC of the authenticated user under a
 * key drawn when the plugin starts), and when the browser names the request's origin it must be
 * this server.
 */
final class CsrfTokens {

    private static final String HMAC = "HmacSHA256";

    private final SecretKeySpec key;

    CsrfTokens() {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        key = new SecretKeySpec(secret, HMAC);
    }

    /** @return the token of the user, for the page to send back */
    String token(String user) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(key);
            byte[] sig = mac.doFinal(String.valueOf(user).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(sig);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /** @return whether the token is the user's */
    boolean valid(String user, String token) {
        return token != null && MessageDigest.isEqual(token(user).getBytes(StandardCharsets.US_ASCII),
                token.getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * @param origin the request's {@code Origin} header, or else its {@code Referer}; {@code null} if neither
     * @param host the request's {@code Host} header
     * @return whether the request may come from this server's own pages: no origin given, or one
     *         whose host and port are the {@code Host} the browser addressed
     */
    static boolean sameOrigin(String origin, String host) {
        if (origin == null) {
            return true;
        }
        try {
            URI u = URI.create(origin);
            String authority = u.getPort() < 0 ? u.getHost() : u.getHost() + ":" + u.getPort();
            return host != null && u.getHost() != null && (authority.equalsIgnoreCase(host)
                    || (u.getPort() < 0 && host.equalsIgnoreCase(u.getHost() + ":" + ("https".equals(u.getScheme()) ? 443 : 80))));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
