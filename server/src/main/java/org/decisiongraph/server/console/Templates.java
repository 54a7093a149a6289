package org.decisiongraph.server.console;

import java.util.Map;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;

/** The console's JTE templates ({@code server/src/main/jte}), compiled to classes at build time. Thread-safe. */
final class Templates {
    private final TemplateEngine engine = TemplateEngine.createPrecompiled(ContentType.Html);

    String render(String template, Map<String, Object> params) {
        StringOutput out = new StringOutput(8192);
        engine.render(template, params, out);
        return out.toString();
    }
}
