package io.bgupdate.webconsole.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

public class CsrfTokensTest {

    @Test
    public void aTokenIsValidForItsUserOnlyAndOnlyWithThisPluginsKey() {
        CsrfTokens tokens = new CsrfTokens();
        String t = tokens.token("admin");
        assertEquals(t, tokens.token("admin"));
        assertTrue(tokens.valid("admin", t));
        assertFalse(tokens.valid("other", t));
        assertFalse(tokens.valid("admin", null));
        assertFalse(tokens.valid("admin", ""));
        assertFalse(tokens.valid("admin", t.substring(1)));
        assertFalse("another start draws another key", new CsrfTokens().valid("admin", t));
        assertNotEquals(t, new CsrfTokens().token("admin"));
        assertTrue("no user (a console without authentication) still needs the token", tokens.valid(null, tokens.token(null)));
    }

    @Test
    public void sameOriginComparesHostAndPortWithTheHostHeader() {
        assertTrue(CsrfTokens.sameOrigin(null, "127.0.0.1:8181"));
        assertTrue(CsrfTokens.sameOrigin("http://127.0.0.1:8181", "127.0.0.1:8181"));
        assertTrue(CsrfTokens.sameOrigin("http://127.0.0.1:8181/system/console/bgupdate", "127.0.0.1:8181"));
        assertTrue(CsrfTokens.sameOrigin("http://console.example", "console.example"));
        assertTrue(CsrfTokens.sameOrigin("http://console.example", "console.example:80"));
        assertFalse(CsrfTokens.sameOrigin("http://127.0.0.1:9999", "127.0.0.1:8181"));
        assertFalse(CsrfTokens.sameOrigin("http://evil.example", "127.0.0.1:8181"));
        assertFalse(CsrfTokens.sameOrigin("null", "127.0.0.1:8181"));
        assertFalse(CsrfTokens.sameOrigin("http://127.0.0.1:8181", null));
        assertFalse(CsrfTokens.sameOrigin("http://[bad", "127.0.0.1:8181"));
    }
}
