package dev.doorman.web;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.javalin.http.Context;

/** Renders the precompiled JTE templates (auto-escaping HTML). */
public final class Views {
    static final String PACKAGE = "dev.doorman.web.templates";
    private final TemplateEngine engine =
            TemplateEngine.createPrecompiled(null, ContentType.Html, Views.class.getClassLoader(), PACKAGE);

    public void render(Context ctx, int status, String template, Object page) {
        var out = new StringOutput();
        engine.render(template, page, out);
        ctx.status(status).contentType("text/html; charset=utf-8").result(out.toString());
    }

    public void render(Context ctx, String template, Object page) {
        render(ctx, 200, template, page);
    }
}
