package com.simplemodelapi.prometheus;

import org.glassfish.jersey.server.model.Resource;
import org.glassfish.jersey.server.model.ResourceModel;
import org.glassfish.jersey.server.monitoring.ApplicationEvent;
import org.glassfish.jersey.server.monitoring.ApplicationEventListener;
import org.glassfish.jersey.server.monitoring.RequestEvent;
import org.glassfish.jersey.server.monitoring.RequestEventListener;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The application's routes, as path templates such as {@code /v1/models/{name}/predict}, learnt from Jersey's
 * resource model when Jersey starts, so every resource registered (whatever its version of the API) has its route.
 * {@link #of} gives the route a request path falls under, or {@value #OTHER}: the label stays bounded by the code,
 * never by what clients send.
 *
 * <p>A request is matched by its path rather than by asking Jersey which template it matched, because some requests
 * never reach Jersey (those the audit filter refuses while the audit log cannot be written, and those Jetty answers
 * itself) and they must be counted too. A template segment with a parameter matches any one segment.
 */
public final class Routes implements ApplicationEventListener {
    public static final String OTHER = "other";

    private final Supplier<String> prefix;
    private volatile List<Route> routes = List.of();

    /** {@code prefix}: the path Jersey is served under (the context path and the Jersey servlet's), read at start. */
    public Routes(Supplier<String> prefix) {
        this.prefix = prefix;
    }

    @Override
    public void onEvent(ApplicationEvent event) {
        if (event.getType() == ApplicationEvent.Type.INITIALIZATION_APP_FINISHED) {
            learn(event.getResourceModel());
        }
    }

    @Override
    public RequestEventListener onRequest(RequestEvent requestEvent) {
        return null;
    }

    void learn(ResourceModel model) {
        Map<String, Route> found = new LinkedHashMap<>();
        String[] rootSegments = segments(prefix.get());
        String root = rootSegments.length == 0 ? "" : "/" + String.join("/", rootSegments);
        for (Resource resource : model.getRootResources()) {
            collect(resource, root, found);
        }
        // The most literal first, as Jersey prefers /v1/models/x/versions over /v1/models/{name}/{anything}.
        List<Route> ordered = new ArrayList<>(found.values());
        ordered.sort(Comparator.comparingInt(Route::literalCharacters).reversed());
        routes = List.copyOf(ordered);
    }

    private static void collect(Resource resource, String parent, Map<String, Route> found) {
        String path = join(parent, resource.getPath());
        if (!resource.getResourceMethods().isEmpty() || resource.getResourceLocator() != null) {
            Route route = Route.of(path);
            found.putIfAbsent(route.template(), route);
        }
        for (Resource child : resource.getChildResources()) {
            collect(child, path, found);
        }
    }

    /** The templates learnt, most literal first. */
    List<String> templates() {
        return routes.stream().map(Route::template).toList();
    }

    /** The route {@code path} (a request's path, without the query) falls under, or {@value #OTHER}. */
    public String of(String path) {
        if (path == null) {
            return OTHER;
        }
        String[] segments = segments(path);
        for (Route route : routes) {
            if (route.matches(segments)) {
                return route.template();
            }
        }
        return OTHER;
    }

    private static String join(String parent, String path) {
        if (path == null || path.isEmpty() || path.equals("/")) {
            return parent.isEmpty() ? "/" : parent;
        }
        String child = withoutTrailingSlash(path.startsWith("/") ? path : "/" + path);
        return withoutTrailingSlash(parent) + child;
    }

    private static String withoutTrailingSlash(String path) {
        return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    /** The path's segments, without empty ones: {@code /v1/me/} and {@code /v1/me} are the same route. */
    private static String[] segments(String path) {
        List<String> segments = new ArrayList<>(8);
        int start = 0;
        while (start <= path.length()) {
            int end = path.indexOf('/', start);
            if (end < 0) {
                end = path.length();
            }
            if (end > start) {
                segments.add(path.substring(start, end));
            }
            start = end + 1;
        }
        return segments.toArray(String[]::new);
    }

    /** One template; its parameters shown as {@code {name}}, without any regular expression Jersey was given. */
    private record Route(String template, String[] segments, boolean[] parameters, int literalCharacters) {
        static Route of(String path) {
            String[] raw = Routes.segments(path);
            String[] shown = new String[raw.length];
            boolean[] parameters = new boolean[raw.length];
            int literal = 0;
            for (int i = 0; i < raw.length; i++) {
                parameters[i] = raw[i].contains("{");
                shown[i] = parameters[i] ? withoutPatterns(raw[i]) : raw[i];
                literal += parameters[i] ? 0 : raw[i].length();
            }
            return new Route("/" + String.join("/", shown), shown, parameters, literal);
        }

        /** {@code {version: [0-9]+}} becomes {@code {version}}. */
        private static String withoutPatterns(String segment) {
            StringBuilder shown = new StringBuilder();
            int depth = 0;
            boolean inPattern = false;
            for (char c : segment.toCharArray()) {
                if (c == '{') {
                    depth++;
                    if (depth == 1) {
                        inPattern = false;
                        shown.append(c);
                        continue;
                    }
                } else if (c == '}') {
                    depth--;
                    if (depth == 0) {
                        shown.append(c);
                        continue;
                    }
                } else if (c == ':' && depth == 1) {
                    inPattern = true;
                }
                if (depth == 0 || !inPattern && !Character.isWhitespace(c)) {
                    shown.append(c);
                }
            }
            return shown.toString();
        }

        boolean matches(String[] path) {
            if (path.length != segments.length) {
                return false;
            }
            for (int i = 0; i < segments.length; i++) {
                if (!parameters[i] && !segments[i].equals(path[i])) {
                    return false;
                }
            }
            return true;
        }
    }
}
