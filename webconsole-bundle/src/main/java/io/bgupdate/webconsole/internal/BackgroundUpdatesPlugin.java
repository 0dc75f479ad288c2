package io.bgupdate.webconsole.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.bgupdate.api.BackgroundUpdates;

/**
 * The Felix Web Console page "Background updates" ({@code /system/console/bgupdate}), a plain
 * servlet that the Web Console finds by its {@code felix.webconsole.label} and frames with its
 * own navigation and authentication.
 *
 * <ul>
 * <li>{@code GET bgupdate}: the page; its script polls {@code GET bgupdate/status.json} every
 * 2 s while updates run, every 15 s otherwise.</li>
 * <li>{@code POST bgupdate/action.json} with {@code action} ({@code pause}, {@code resume} or
 * {@code start-job}), {@code database}, {@code update} (for start-job) and {@code token}: 200 and
 * a one-line message, or 400 (bad request), 403 (no valid token, or another origin) or 405 (not a
 * POST) with a one-line error, and nothing changed.</li>
 * </ul>
 */
@Component(service = Servlet.class, property = {
    "felix.webconsole.label=" + BackgroundUpdatesPlugin.LABEL,
    "felix.webconsole.title=Background updates",
    "felix.webconsole.category=Main"
})
public class BackgroundUpdatesPlugin extends HttpServlet {

    private static final long serialVersionUID = 1L;

    /** The last segment of the page's URL. */
    static final String LABEL = "bgupdate";
    /** Set by the Web Console: the URL of this plugin, such as {@code /system/console/bgupdate}. */
    private static final String PLUGIN_ROOT = "felix.webconsole.pluginRoot";

    private final transient CsrfTokens tokens = new CsrfTokens();
    private final transient StatusView view = new StatusView(new Rates());

    @Reference
    private transient BackgroundUpdates updates;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String path = req.getPathInfo() == null ? "" : req.getPathInfo();
        if (path.endsWith("/" + LABEL + "/status.json")) {
            StatusView.View v = view.render(updates);
            json(resp, 200, "{\"running\":" + v.running() + ",\"states\":" + v.json() + ",\"html\":" + Html.json(v.html()) + "}");
        } else if (path.endsWith("/" + LABEL + "/action.json")) {
            resp.setHeader("Allow", "POST");
            json(resp, 405, error("use POST"));
        } else if (path.endsWith("/" + LABEL) || path.endsWith("/" + LABEL + "/") || path.isEmpty()) {
            page(req, resp);
        } else {
            resp.sendError(404);
        }
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String path = req.getPathInfo() == null ? "" : req.getPathInfo();
        if (!path.endsWith("/" + LABEL + "/action.json")) {
            resp.setHeader("Allow", "GET");
            json(resp, 405, error("POST only to " + LABEL + "/action.json"));
            return;
        }
        String origin = req.getHeader("Origin") != null ? req.getHeader("Origin") : req.getHeader("Referer");
        if (!CsrfTokens.sameOrigin(origin, req.getHeader("Host"))) {
            json(resp, 403, error("refused: the request comes from another site (" + origin + ")"));
            return;
        }
        if (!tokens.valid(req.getRemoteUser(), req.getParameter("token"))) {
            json(resp, 403, error("refused: no valid token; reload the page"));
            return;
        }
        String action = String.valueOf(req.getParameter("action"));
        String db = req.getParameter("database");
        String update = req.getParameter("update");
        try {
            if (db == null || db.isBlank()) {
                throw new IllegalArgumentException("no database given");
            }
            String message = switch (action) {
                case "pause" -> {
                    updates.pause(db);
                    yield db + ": paused";
                }
                case "resume" -> {
                    updates.resume(db);
                    yield db + ": resumed";
                }
                case "start-job" -> {
                    if (update == null || update.isBlank()) {
                        throw new IllegalArgumentException("no update given");
                    }
                    updates.startJob(update.trim(), db);
                    yield db + ": " + update.trim() + " queued again";
                }
                default -> throw new IllegalArgumentException("unknown action '" + action + "': pause, resume or start-job");
            };
            json(resp, 200, "{\"message\":" + Html.json(message) + "}");
        } catch (IllegalArgumentException | IllegalStateException e) {
            json(resp, 400, error(e.getMessage()));
        }
    }

    private void page(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String root = req.getAttribute(PLUGIN_ROOT) instanceof String r ? r : req.getContextPath() + req.getServletPath() + "/" + LABEL;
        StatusView.View v = view.render(updates);
        resp.setContentType("text/html;charset=UTF-8");
        resp.setHeader("Cache-Control", "no-store");
        PrintWriter w = resp.getWriter();
        w.append("<style>").append(resource("page.css")).append("</style>\n");
        w.append("<div id=\"bgu\" data-root=\"").append(Html.text(root)).append("\" data-token=\"")
                .append(Html.text(tokens.token(req.getRemoteUser()))).append("\" data-running=\"").append(String.valueOf(v.running()))
                .append("\">\n<p id=\"bgu-message\" class=\"bgu-message\" role=\"status\"></p>\n<div id=\"bgu-status\">")
                .append(v.html()).append("</div>\n<p class=\"bgu-footer\">Refreshes by itself: every 2 s while updates run. "
                        + "Last refresh <span id=\"bgu-refreshed\">").append(Html.time(Instant.now()))
                .append("</span>.</p></div>\n<script>").append(resource("page.js")).append("</script>\n");
    }

    private static String error(String message) {
        return "{\"error\":" + Html.json(String.valueOf(message).replaceAll("\\s*\\R\\s*", " ")) + "}";
    }

    private static void json(HttpServletResponse resp, int status, String body) throws IOException {
        resp.setStatus(status);
        resp.setContentType("application/json;charset=UTF-8");
        resp.setHeader("Cache-Control", "no-store");
        resp.getWriter().write(body);
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = BackgroundUpdatesPlugin.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("missing resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
