// SPDX-License-Identifier: Apache-2.0
// IL301 privileged-port for Kubernetes workloads and Compose services.
#include <string>

#include "analyzer/sysctl_advice.h"
#include "rules/privileged_port.h"

namespace imglint {

void CheckPrivilegedPortWorkloads(const Workspace& workspace, Emitter& emit) {
  const std::string sysctl(kPortSysctl);
  for (const ContainerFacts& c : workspace.containers) {
    const PortSysctl& state = workspace.pods[c.pod].sysctl;
    for (const LowPort& port : c.declared_low_ports) {
      const int number = port.spec.start;
      if (state.Allows(number)) continue;
      emit.Report(port.what + " is below 1024: " + state.WhyMissing(number),
                  "listen on a port >= 1024 (a Service can still expose port " +
                      std::to_string(number) + "), or set " + sysctl + "=0; " +
                      KubeSysctlAdvice(*c.workload, state, number),
                  port.location, Subject::Setting(c.key + "." + port.key));
    }
  }
  for (const ServiceFacts& s : workspace.services) {
    for (const LowPort& port : s.declared_low_ports) {
      const int number = port.spec.start;
      if (s.sysctl.Allows(number)) continue;
      emit.Report(port.what + " is below 1024: " + s.sysctl.WhyMissing(number),
                  "listen on a port >= 1024 and publish it as the low port (\"" +
                      std::to_string(number) + ":8080\"), or set " + sysctl + "=0; " +
                      ComposeSysctlAdvice(*s.service, s.sysctl, number),
                  port.location, Subject::Setting(s.key + "." + port.key));
    }
  }
}

}  // namespace imglint
