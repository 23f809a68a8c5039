package dev.hardway.render;

import freemarker.cache.URLTemplateLoader;

import java.net.URL;

/**
 * Finds the templates shipped inside hardway-core. FreeMarker's own class-path loader looks them up from its
 * module, which on the module path may not see this module's resources; the lookup here is made from this module.
 */
final class BuiltInTemplates extends URLTemplateLoader {
    @Override
    protected URL getURL(String name) {
        return BuiltInTemplates.class.getResource(TemplateEngine.CLASSPATH_ROOT + "/" + name);
    }
}
