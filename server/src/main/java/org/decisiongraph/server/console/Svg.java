package org.decisiongraph.server.console;

import java.util.List;
import java.util.Locale;

/** Small server-side SVG drawings (the console has no chart library): sparklines. Output is complete, escaped markup. */
public final class Svg {
    private Svg() {
    }

    /** A polyline sparkline of {@code values} scaled into {@code width x height}; a flat line when empty. */
    public static String sparkline(List<Double> values, int width, int height) {
        StringBuilder b = new StringBuilder();
        b.append("<svg class=\"spark\" viewBox=\"0 0 ").append(width).append(' ').append(height)
                .append("\" preserveAspectRatio=\"none\" role=\"img\" aria-label=\"trend\"><polyline points=\"");
        if (values.isEmpty()) {
            b.append("0,").append(height - 1).append(' ').append(width).append(',').append(height - 1);
        } else {
            double max = values.stream().mapToDouble(Double::doubleValue).max().orElse(0);
            int n = values.size();
            for (int i = 0; i < n; i++) {
                double x = n == 1 ? width : (double) i * width / (n - 1);
                double y = max <= 0 ? height - 1 : (height - 2) - values.get(i) / max * (height - 4);
                b.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
            }
        }
        return b.append("\"/></svg>").toString();
    }

    /** Escapes text for SVG/HTML content and attribute values. */
    public static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
