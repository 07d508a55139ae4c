package dev.loudsync.netty;

import dev.loudsync.netty.client.internal.CertificateTrust;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.Date;
import java.util.List;
import javax.net.ssl.SSLException;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Makes self-signed certificates with BouncyCastle; only loaded when one is asked for. */
final class SelfSignedCertificates {

    private SelfSignedCertificates() {
    }

    static ServerTls.SelfSigned create(List<String> names) {
        try {
            KeyPairGenerator kpg = KeyPairGenerator.getInstance("EC");
            kpg.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair keys = kpg.generateKeyPair();
            long now = System.currentTimeMillis();
            X500Name subject = new X500Name("CN=" + names.get(0).replaceAll("[,=+<>#;\\\"]", "_"));
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, BigInteger.valueOf(now),
                    new Date(now - 3_600_000L), new Date(now + 30L * 24 * 3_600_000L), subject, keys.getPublic());
            GeneralName[] alternatives = new GeneralName[names.size()];
            for (int i = 0; i < names.size(); i++) {
                String n = names.get(i);
                boolean ip = n.matches("[0-9.]+") || n.contains(":");
                alternatives[i] = new GeneralName(ip ? GeneralName.iPAddress : GeneralName.dNSName, n);
            }
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(alternatives));
            X509Certificate cert = new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
            String fingerprint = CertificateTrust.fingerprint(cert);
            SslContext context = SslContextBuilder.forServer(keys.getPrivate(), cert).build();
            return new ServerTls.SelfSigned(context, cert, keys.getPrivate(), fingerprint);
        } catch (GeneralSecurityException | SSLException | OperatorCreationException | CertIOException e) {
            throw new IllegalStateException("cannot make a self-signed certificate: " + e.getMessage(), e);
        }
    }
}
