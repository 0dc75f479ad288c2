import java.util.Map;
import java.util.Set;

import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * A remote JMX client for the Karaf test, run as a single source file (java JmxCheck.java ...):
 * connects to URL as USER, prints the bgupdate MBeans' names and then, for each ACTION in order,
 * one line: "get NAME=VALUE" for an attribute, "invoke OP: ok" or "invoke OP: refused: ..." for an
 * operation on database main; OBJECTNAME#ATTRIBUTE reads another MBean's attribute. Exit status 0
 * unless it cannot connect.
 *
 *   java JmxCheck.java service:jmx:rmi://... USER PASSWORD State CurrentUpdate pause() resume()
 */
public class JmxCheck {
    public static void main(String[] args) throws Exception {
        JMXServiceURL url = new JMXServiceURL(args[0]);
        Map<String, ?> env = Map.of(JMXConnector.CREDENTIALS, new String[] {args[1], args[2]});
        try (JMXConnector connector = JMXConnectorFactory.connect(url, env)) {
            MBeanServerConnection server = connector.getMBeanServerConnection();
            Set<ObjectName> names = server.queryNames(new ObjectName("io.bgupdate:type=BackgroundUpdates,*"), null);
            names.forEach(n -> System.out.println("mbean " + n));
            ObjectName main = new ObjectName("io.bgupdate:type=BackgroundUpdates,database=main");
            for (int i = 3; i < args.length; i++) {
                String a = args[i];
                try {
                    if (a.endsWith("()")) {
                        String op = a.substring(0, a.length() - 2);
                        server.invoke(main, op, null, null);
                        System.out.println("invoke " + op + ": ok");
                    } else if (a.contains("#")) {
                        String[] na = a.split("#", 2);
                        Object v = server.getAttribute(new ObjectName(na[0]), na[1]);
                        System.out.println("get " + a + "=" + v);
                    } else {
                        Object v = server.getAttribute(main, a);
                        System.out.println("get " + a + "=" + (v instanceof String[] s ? String.join(",", s) : v));
                    }
                } catch (Exception e) {
                    Throwable root = e;
                    while (root.getCause() != null) {
                        root = root.getCause();
                    }
                    System.out.println((a.endsWith("()") ? "invoke " + a.substring(0, a.length() - 2) : "get " + a) + ": refused: "
                            + root.getClass().getSimpleName() + ": " + root.getMessage());
                }
            }
        }
    }
}
