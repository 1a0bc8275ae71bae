package io.raftx.sample;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collections;
import java.util.Enumeration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Values are the raw request body. {@code curl -d value} labels it {@code application/x-www-form-urlencoded}, for
 * which Spring MVC would rebuild the body from parsed form parameters (mixing in query parameters such as
 * {@code expected}); relabelling such bodies as UTF-8 text on the key endpoints keeps them as sent.
 */
@Component
class PlainTextBodyFilter extends OncePerRequestFilter {

    private static final String TEXT = MediaType.TEXT_PLAIN_VALUE + ";charset=UTF-8";

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        String type = request.getContentType();
        return !(path.startsWith("/kv/") || path.startsWith("/volatile/")) || type == null
                || !type.toLowerCase().startsWith(MediaType.APPLICATION_FORM_URLENCODED_VALUE);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        chain.doFilter(new TextBodyRequest(request), response);
    }

    private static final class TextBodyRequest extends HttpServletRequestWrapper {

        TextBodyRequest(HttpServletRequest request) {
            super(request);
        }

        @Override
        public String getContentType() {
            return TEXT;
        }

        @Override
        public String getHeader(String name) {
            return HttpHeaders.CONTENT_TYPE.equalsIgnoreCase(name) ? TEXT : super.getHeader(name);
        }

        @Override
        public Enumeration<String> getHeaders(String name) {
            return HttpHeaders.CONTENT_TYPE.equalsIgnoreCase(name)
                    ? Collections.enumeration(java.util.List.of(TEXT)) : super.getHeaders(name);
        }
    }
}
