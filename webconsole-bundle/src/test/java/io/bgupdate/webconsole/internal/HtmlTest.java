package io.bgupdate.webconsole.internal;

import static org.junit.Assert.assertEquals;

import java.time.Duration;

import org.junit.Test;

public class HtmlTest {

    @Test
    public void escapesMarkupAndQuotes() {
        assertEquals("&lt;script&gt;alert(&quot;x&quot;&amp;&#39;y&#39;)&lt;/script&gt;", Html.text("<script>alert(\"x\"&'y')</script>"));
        assertEquals("-", Html.text(null));
        assertEquals("an enum by its name", "MONDAY", Html.text(java.time.DayOfWeek.MONDAY));
    }

    @Test
    public void jsonStringsNeverCloseAScript() {
        assertEquals("\"a\\\"b\\\\c\\nd\\u003c/script>\\u0001\"", Html.json("a\"b\\c\nd</script>\u0001"));
    }

    @Test
    public void durations() {
        assertEquals("42 s", Html.duration(Duration.ofSeconds(42)));
        assertEquals("3 m 05 s", Html.duration(Duration.ofSeconds(185)));
        assertEquals("2 h 10 m", Html.duration(Duration.ofMinutes(130)));
        assertEquals("0 s", Html.duration(Duration.ofSeconds(-5)));
    }
}
