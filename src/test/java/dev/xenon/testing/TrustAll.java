package dev.xenon.testing;

import javax.net.ssl.X509TrustManager;
import java.security.cert.X509Certificate;

/** Accepts any server certificate: for tests that look at what is served or spoken, not whether it verifies. */
public final class TrustAll implements X509TrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }
}
