package dev.kft.registry.domain;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.node.Image;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;

/**
 * A model card's Markdown as HTML for the console: tables rendered, any HTML in the card shown as
 * text (a card's text comes from job specs, so it is never trusted as markup), and the card's
 * pictures, which it names relative to its own folder, pointed at where the version's files are
 * served.
 */
public final class CardHtml {

  private static final List<org.commonmark.Extension> EXTENSIONS =
      List.of(TablesExtension.create());
  private static final Pattern FRONT_MATTER =
      Pattern.compile("\\A---\\r?\\n(.*?)\\r?\\n---\\r?\\n", Pattern.DOTALL);
  private static final Parser PARSER = Parser.builder().extensions(EXTENSIONS).build();

  private CardHtml() {}

  /**
   * @param filesUrl the URL under which the version's files are served, without a trailing slash
   */
  public static String render(String markdown, String filesUrl) {
    HtmlRenderer renderer =
        HtmlRenderer.builder()
            .extensions(EXTENSIONS)
            .escapeHtml(true)
            .sanitizeUrls(true)
            .attributeProviderFactory(
                context ->
                    (node, tag, attributes) -> {
                      String src = attributes.get("src");
                      if (node instanceof Image && src != null && relative(src)) {
                        attributes.put("src", filesUrl + "/" + src.replaceFirst("^\\./", ""));
                      }
                    })
            .build();
    // the front matter is the hub's metadata, not prose: shown folded, as it is
    Matcher front = FRONT_MATTER.matcher(markdown);
    if (!front.find()) {
      return renderer.render(PARSER.parse(markdown));
    }
    return "<details class=\"front-matter\"><summary>Hugging Face metadata</summary><pre>"
        + escape(front.group(1))
        + "</pre></details>\n"
        + renderer.render(PARSER.parse(markdown.substring(front.end())));
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  private static boolean relative(String url) {
    return !url.contains(":") && !url.startsWith("/") && !url.contains("..");
  }
}
