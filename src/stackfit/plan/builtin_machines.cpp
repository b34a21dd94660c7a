// The built-in machine catalog: MachineCatalog::builtin(). Figures and their
// sources are explained in docs/machines.md; keep both in step.
#include <array>

#include "stackfit/plan/machine_catalog.hpp"

namespace stackfit {
namespace {

// Prices are list prices that stackfit does not fetch: they are for comparing
// machines, and a user with other prices passes a catalog file (--catalog).
constexpr const char* k_aws_source =
    "AWS EC2 on-demand list price, us-east-1, Linux (aws.amazon.com/ec2/pricing/on-demand, as of 2024)";
constexpr const char* k_gcp_source =
    "Google Compute Engine on-demand list price, us-central1 (cloud.google.com/compute/vm-instance-pricing, as of 2024)";
constexpr const char* k_azure_source =
    "Azure pay-as-you-go list price, East US, Linux (azure.microsoft.com/pricing/details/virtual-machines/linux, as of 2024)";
constexpr const char* k_local_source = "local target: no price";

struct Row {
  const char* name;
  const char* description;
  std::int64_t memory_mib;
  std::int64_t millicores;
  double price;  // USD per hour; < 0 for none
  const char* source;
};

constexpr std::array k_rows{
    Row{"t2.micro", "AWS t2.micro (1 vCPU, 1 GiB, burstable)", 1024, 1000, 0.0116, k_aws_source},
    Row{"t2.small", "AWS t2.small (1 vCPU, 2 GiB, burstable)", 2048, 1000, 0.023, k_aws_source},
    Row{"t2.medium", "AWS t2.medium (2 vCPU, 4 GiB, burstable)", 4096, 2000, 0.0464, k_aws_source},
    Row{"t3.nano", "AWS t3.nano (2 vCPU, 0.5 GiB, burstable)", 512, 2000, 0.0052, k_aws_source},
    Row{"t3.micro", "AWS t3.micro (2 vCPU, 1 GiB, burstable)", 1024, 2000, 0.0104, k_aws_source},
    Row{"t3.small", "AWS t3.small (2 vCPU, 2 GiB, burstable)", 2048, 2000, 0.0208, k_aws_source},
    Row{"t3.medium", "AWS t3.medium (2 vCPU, 4 GiB, burstable)", 4096, 2000, 0.0416, k_aws_source},
    Row{"t3.large", "AWS t3.large (2 vCPU, 8 GiB, burstable)", 8192, 2000, 0.0832, k_aws_source},
    Row{"t3.xlarge", "AWS t3.xlarge (4 vCPU, 16 GiB, burstable)", 16384, 4000, 0.1664, k_aws_source},
    Row{"t3.2xlarge", "AWS t3.2xlarge (8 vCPU, 32 GiB, burstable)", 32768, 8000, 0.3328, k_aws_source},
    Row{"t4g.micro", "AWS t4g.micro (2 vCPU Graviton2 arm64, 1 GiB, burstable)", 1024, 2000, 0.0084, k_aws_source},
    Row{"t4g.small", "AWS t4g.small (2 vCPU Graviton2 arm64, 2 GiB, burstable)", 2048, 2000, 0.0168, k_aws_source},
    Row{"t4g.medium", "AWS t4g.medium (2 vCPU Graviton2 arm64, 4 GiB, burstable)", 4096, 2000, 0.0336, k_aws_source},
    Row{"t4g.large", "AWS t4g.large (2 vCPU Graviton2 arm64, 8 GiB, burstable)", 8192, 2000, 0.0672, k_aws_source},
    Row{"m6i.large", "AWS m6i.large (2 vCPU, 8 GiB)", 8192, 2000, 0.096, k_aws_source},
    Row{"m6i.xlarge", "AWS m6i.xlarge (4 vCPU, 16 GiB)", 16384, 4000, 0.192, k_aws_source},
    // E2 shared-core types show the guest 2 vCPUs; sustained share 0.25/0.5/1.
    Row{"e2-micro", "GCP e2-micro (2 shared vCPU, 0.25 sustained, 1 GiB)", 1024, 2000, 0.00838, k_gcp_source},
    Row{"e2-small", "GCP e2-small (2 shared vCPU, 0.5 sustained, 2 GiB)", 2048, 2000, 0.01675, k_gcp_source},
    Row{"e2-medium", "GCP e2-medium (2 shared vCPU, 1 sustained, 4 GiB)", 4096, 2000, 0.03351, k_gcp_source},
    Row{"B1s", "Azure B1s (1 vCPU, 1 GiB, burstable)", 1024, 1000, 0.0104, k_azure_source},
    Row{"B1ms", "Azure B1ms (1 vCPU, 2 GiB, burstable)", 2048, 1000, 0.0207, k_azure_source},
    Row{"B2s", "Azure B2s (2 vCPU, 4 GiB, burstable)", 4096, 2000, 0.0416, k_azure_source},
    // Docker Desktop's VM gets 50% of host memory by default (Mac; WSL 2 also
    // defaults to 50%). Assumed host: 16 GiB and 8 logical CPUs, all of which
    // the VM may use. The -Ng variants are the memory slider set to N GiB.
    Row{"docker-desktop", "Docker Desktop VM, default: 50% of an assumed 16 GiB host, 8 CPUs", 8192, 8000, -1,
        k_local_source},
    Row{"docker-desktop-2g", "Docker Desktop VM with memory set to 2 GiB (8 CPUs assumed)", 2048, 8000, -1,
        k_local_source},
    Row{"docker-desktop-4g", "Docker Desktop VM with memory set to 4 GiB (8 CPUs assumed)", 4096, 8000, -1,
        k_local_source},
    Row{"docker-desktop-8g", "Docker Desktop VM with memory set to 8 GiB (8 CPUs assumed)", 8192, 8000, -1,
        k_local_source},
    Row{"vm-1g", "Any VM with 1 GiB and 1 vCPU", 1024, 1000, -1, k_local_source},
    Row{"vm-2g", "Any VM with 2 GiB and 2 vCPU", 2048, 2000, -1, k_local_source},
    Row{"vm-4g", "Any VM with 4 GiB and 2 vCPU", 4096, 2000, -1, k_local_source},
};

}  // namespace

MachineCatalog MachineCatalog::builtin() {
  MachineCatalog catalog;
  for (const Row& r : k_rows) {
    Machine m;
    m.name = r.name;
    m.description = r.description;
    m.memory = Bytes{r.memory_mib * k_mib};
    m.cpus = Millicores{r.millicores};
    if (r.price >= 0) m.price_per_hour_usd = r.price;
    m.price_source = r.source;
    m.os_reserve = default_os_reserve(m.memory);
    catalog.m_machines.push_back(std::move(m));
  }
  return catalog;
}

}  // namespace stackfit
