package io.bgupdate.api.handler;

import java.util.LinkedHashMap;
import java.util.Map;

/** Reads and quotes the flat JSON objects of {@link Progress}; nested values are refused. */
final class FlatJson {

    private final String text;
    private int at;

    FlatJson(String text) {
        this.text = text;
    }

    Map<String, Object> object() {
        Map<String, Object> result = new LinkedHashMap<>();
        expect('{');
        if (!peek('}')) {
            do {
                String key = string();
                expect(':');
                Object value = value();
                if (value != null) {
                    result.put(key, value);
                }
            } while (peek(',') && expect(','));
        }
        expect('}');
        skipSpace();
        if (at != text.length()) {
            throw error("text after the object");
        }
        return result;
    }

    private Object value() {
        skipSpace();
        if (peek('"')) {
            return string();
        }
        int start = at;
        while (at < text.length() && ",}] \t\r\n".indexOf(text.charAt(at)) < 0) {
            at++;
        }
        String word = text.substring(start, at);
        switch (word) {
            case "true": return Boolean.TRUE;
            case "false": return Boolean.FALSE;
            case "null": return null;
            default:
                try {
                    return Long.valueOf(word);
                } catch (NumberFormatException e) {
                    throw error("not a string, whole number, boolean or null: '" + word + "'");
                }
        }
    }

    private String string() {
        expect('"');
        StringBuilder out = new StringBuilder();
        while (true) {
            if (at >= text.length()) {
                throw error("unterminated string");
            }
            char c = text.charAt(at++);
            if (c == '"') {
                return out.toString();
            }
            if (c != '\\') {
                out.append(c);
                continue;
            }
            if (at >= text.length()) {
                throw error("unterminated escape");
            }
            char e = text.charAt(at++);
            switch (e) {
                case 'n': out.append('\n'); break;
                case 't': out.append('\t'); break;
                case 'r': out.append('\r'); break;
                case 'b': out.append('\b'); break;
                case 'f': out.append('\f'); break;
                case 'u':
                    if (at + 4 > text.length()) {
                        throw error("short \\u escape");
                    }
                    out.append((char) Integer.parseInt(text.substring(at, at + 4), 16));
                    at += 4;
                    break;
                default: out.append(e);
            }
        }
    }

    private boolean peek(char c) {
        skipSpace();
        return at < text.length() && text.charAt(at) == c;
    }

    private boolean expect(char c) {
        if (!peek(c)) {
            throw error("expected '" + c + "'");
        }
        at++;
        return true;
    }

    private void skipSpace() {
        while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
            at++;
        }
    }

    private IllegalArgumentException error(String what) {
        return new IllegalArgumentException("bad progress JSON at " + at + ": " + what + " in " + text);
    }

    static StringBuilder quote(String s, StringBuilder out) {
        out.append('"');
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"': out.append("\\\""); break;
                case '\\': out.append("\\\\"); break;
                case '\n': out.append("\\n"); break;
                case '\r': out.append("\\r"); break;
                case '\t': out.append("\\t"); break;
                default:
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
            }
        }
        return out.append('"');
    }
}
