// The built-in machine catalog: MachineCatalog::builtin(). Figures and their
// sources are explained in docs/machines.md; keep both in step.
#include <array>

#include "stackfit/plan/machine_catalog.hpp"

namespace stackfit {
namespace {

// Prices are on-demand list prices known as of k_price_date. stackfit does
// not (and here could not) fetch them: they are for comparing machines, and a
// user with other prices passes a catalog file (--catalog).
constexpr const char* k_price_date = "2024-06";
constexpr const char* k_aws_source =
    "AWS EC2 on-demand list price, us-east-1, Linux (aws.amazon.com/ec2/pricing/on-demand)";
constexpr const char* k_gcp_source =
    "Google Compute Engine on-demand list price, us-central1 (cloud.google.com/compute/vm-instance-pricing)";
constexpr const char* k_azure_source =
    "Azure pay-as-you-go list price, East US, Linux (azure.microsoft.com/pricing/details/virtual-machines/linux)";
constexpr const char* k_local_source = "local target: no price";

struct Row {
  const char* name;
  const char* description;
  std::int64_t memory_mib;
  std::int64_t millicores;
  double price;  // USD per hour; < 0 for none
  const char* source;
  std::int64_t max_pods;  // AWS VPC CNI limit (eni-max-pods.txt); 0: not an EKS node type
};

constexpr std::array k_rows{
    Row{"t2.micro", "AWS t2.micro (1 vCPU, 1 GiB, burstable)", 1024, 1000, 0.0116, k_aws_source, 4},
    Row{"t2.small", "AWS t2.small (1 vCPU, 2 GiB, burstable)", 2048, 1000, 0.023, k_aws_source, 11},
    Row{"t2.medium", "AWS t2.medium (2 vCPU, 4 GiB, burstable)", 4096, 2000, 0.0464, k_aws_source, 17},
    Row{"t3.nano", "AWS t3.nano (2 vCPU, 0.5 GiB, burstable)", 512, 2000, 0.0052, k_aws_source, 4},
    Row{"t3.micro", "AWS t3.micro (2 vCPU, 1 GiB, burstable)", 1024, 2000, 0.0104, k_aws_source, 4},
    Row{"t3.small", "AWS t3.small (2 vCPU, 2 GiB, burstable)", 2048, 2000, 0.0208, k_aws_source, 11},
    Row{"t3.medium", "AWS t3.medium (2 vCPU, 4 GiB, burstable)", 4096, 2000, 0.0416, k_aws_source, 17},
    Row{"t3.large", "AWS t3.large (2 vCPU, 8 GiB, burstable)", 8192, 2000, 0.0832, k_aws_source, 35},
    Row{"t3.xlarge", "AWS t3.xlarge (4 vCPU, 16 GiB, burstable)", 16384, 4000, 0.1664, k_aws_source, 58},
    Row{"t3.2xlarge", "AWS t3.2xlarge (8 vCPU, 32 GiB, burstable)", 32768, 8000, 0.3328, k_aws_source, 58},
    Row{"t4g.nano", "AWS t4g.nano (2 vCPU Graviton2 arm64, 0.5 GiB, burstable)", 512, 2000, 0.0042, k_aws_source, 4},
    Row{"t4g.micro", "AWS t4g.micro (2 vCPU Graviton2 arm64, 1 GiB, burstable)", 1024, 2000, 0.0084, k_aws_source, 4},
    Row{"t4g.small", "AWS t4g.small (2 vCPU Graviton2 arm64, 2 GiB, burstable)", 2048, 2000, 0.0168, k_aws_source, 11},
    Row{"t4g.medium", "AWS t4g.medium (2 vCPU Graviton2 arm64, 4 GiB, burstable)", 4096, 2000, 0.0336, k_aws_source, 17},
    Row{"t4g.large", "AWS t4g.large (2 vCPU Graviton2 arm64, 8 GiB, burstable)", 8192, 2000, 0.0672, k_aws_source, 35},
    Row{"t4g.xlarge", "AWS t4g.xlarge (4 vCPU Graviton2 arm64, 16 GiB, burstable)", 16384, 4000, 0.1344, k_aws_source, 58},
    Row{"t4g.2xlarge", "AWS t4g.2xlarge (8 vCPU Graviton2 arm64, 32 GiB, burstable)", 32768, 8000, 0.2688, k_aws_source, 58},
    Row{"m6i.large", "AWS m6i.large (2 vCPU, 8 GiB)", 8192, 2000, 0.096, k_aws_source, 29},
    Row{"m6i.xlarge", "AWS m6i.xlarge (4 vCPU, 16 GiB)", 16384, 4000, 0.192, k_aws_source, 58},
    Row{"m6i.2xlarge", "AWS m6i.2xlarge (8 vCPU, 32 GiB)", 32768, 8000, 0.384, k_aws_source, 58},
    Row{"m6i.4xlarge", "AWS m6i.4xlarge (16 vCPU, 64 GiB)", 65536, 16000, 0.768, k_aws_source, 234},
    Row{"m6i.8xlarge", "AWS m6i.8xlarge (32 vCPU, 128 GiB)", 131072, 32000, 1.536, k_aws_source, 234},
    Row{"m7g.medium", "AWS m7g.medium (1 vCPU Graviton3 arm64, 4 GiB)", 4096, 1000, 0.0408, k_aws_source, 8},
    Row{"m7g.large", "AWS m7g.large (2 vCPU Graviton3 arm64, 8 GiB)", 8192, 2000, 0.0816, k_aws_source, 29},
    Row{"m7g.xlarge", "AWS m7g.xlarge (4 vCPU Graviton3 arm64, 16 GiB)", 16384, 4000, 0.1632, k_aws_source, 58},
    Row{"m7g.2xlarge", "AWS m7g.2xlarge (8 vCPU Graviton3 arm64, 32 GiB)", 32768, 8000, 0.3264, k_aws_source, 58},
    Row{"m7g.4xlarge", "AWS m7g.4xlarge (16 vCPU Graviton3 arm64, 64 GiB)", 65536, 16000, 0.6528, k_aws_source, 234},
    Row{"c7g.medium", "AWS c7g.medium (1 vCPU Graviton3 arm64, 2 GiB)", 2048, 1000, 0.0363, k_aws_source, 8},
    Row{"c7g.large", "AWS c7g.large (2 vCPU Graviton3 arm64, 4 GiB)", 4096, 2000, 0.0725, k_aws_source, 29},
    Row{"c7g.xlarge", "AWS c7g.xlarge (4 vCPU Graviton3 arm64, 8 GiB)", 8192, 4000, 0.145, k_aws_source, 58},
    Row{"c7g.2xlarge", "AWS c7g.2xlarge (8 vCPU Graviton3 arm64, 16 GiB)", 16384, 8000, 0.29, k_aws_source, 58},
    Row{"c7g.4xlarge", "AWS c7g.4xlarge (16 vCPU Graviton3 arm64, 32 GiB)", 32768, 16000, 0.58, k_aws_source, 234},
    Row{"r7g.medium", "AWS r7g.medium (1 vCPU Graviton3 arm64, 8 GiB)", 8192, 1000, 0.0536, k_aws_source, 8},
    Row{"r7g.large", "AWS r7g.large (2 vCPU Graviton3 arm64, 16 GiB)", 16384, 2000, 0.1071, k_aws_source, 29},
    Row{"r7g.xlarge", "AWS r7g.xlarge (4 vCPU Graviton3 arm64, 32 GiB)", 32768, 4000, 0.2142, k_aws_source, 58},
    Row{"r7g.2xlarge", "AWS r7g.2xlarge (8 vCPU Graviton3 arm64, 64 GiB)", 65536, 8000, 0.4284, k_aws_source, 58},
    Row{"r7g.4xlarge", "AWS r7g.4xlarge (16 vCPU Graviton3 arm64, 128 GiB)", 131072, 16000, 0.8568, k_aws_source, 234},
    // E2 shared-core types show the guest 2 vCPUs; sustained share 0.25/0.5/1.
    Row{"e2-micro", "GCP e2-micro (2 shared vCPU, 0.25 sustained, 1 GiB)", 1024, 2000, 0.00838, k_gcp_source, 0},
    Row{"e2-small", "GCP e2-small (2 shared vCPU, 0.5 sustained, 2 GiB)", 2048, 2000, 0.01675, k_gcp_source, 0},
    Row{"e2-medium", "GCP e2-medium (2 shared vCPU, 1 sustained, 4 GiB)", 4096, 2000, 0.03351, k_gcp_source, 0},
    Row{"e2-standard-2", "GCP e2-standard-2 (2 vCPU, 8 GiB)", 8192, 2000, 0.067011, k_gcp_source, 0},
    Row{"e2-standard-4", "GCP e2-standard-4 (4 vCPU, 16 GiB)", 16384, 4000, 0.134023, k_gcp_source, 0},
    Row{"e2-standard-8", "GCP e2-standard-8 (8 vCPU, 32 GiB)", 32768, 8000, 0.268046, k_gcp_source, 0},
    Row{"e2-standard-16", "GCP e2-standard-16 (16 vCPU, 64 GiB)", 65536, 16000, 0.536091, k_gcp_source, 0},
    Row{"e2-standard-32", "GCP e2-standard-32 (32 vCPU, 128 GiB)", 131072, 32000, 1.072183, k_gcp_source, 0},
    Row{"e2-highmem-2", "GCP e2-highmem-2 (2 vCPU, 16 GiB)", 16384, 2000, 0.0904, k_gcp_source, 0},
    Row{"e2-highmem-4", "GCP e2-highmem-4 (4 vCPU, 32 GiB)", 32768, 4000, 0.180799, k_gcp_source, 0},
    Row{"e2-highmem-8", "GCP e2-highmem-8 (8 vCPU, 64 GiB)", 65536, 8000, 0.361599, k_gcp_source, 0},
    Row{"e2-highmem-16", "GCP e2-highmem-16 (16 vCPU, 128 GiB)", 131072, 16000, 0.723197, k_gcp_source, 0},
    Row{"B1ls", "Azure B1ls (1 vCPU, 0.5 GiB, burstable)", 512, 1000, 0.0052, k_azure_source, 0},
    Row{"B1s", "Azure B1s (1 vCPU, 1 GiB, burstable)", 1024, 1000, 0.0104, k_azure_source, 0},
    Row{"B1ms", "Azure B1ms (1 vCPU, 2 GiB, burstable)", 2048, 1000, 0.0207, k_azure_source, 0},
    Row{"B2s", "Azure B2s (2 vCPU, 4 GiB, burstable)", 4096, 2000, 0.0416, k_azure_source, 0},
    Row{"B2ms", "Azure B2ms (2 vCPU, 8 GiB, burstable)", 8192, 2000, 0.0832, k_azure_source, 0},
    Row{"B4ms", "Azure B4ms (4 vCPU, 16 GiB, burstable)", 16384, 4000, 0.166, k_azure_source, 0},
    Row{"B8ms", "Azure B8ms (8 vCPU, 32 GiB, burstable)", 32768, 8000, 0.333, k_azure_source, 0},
    Row{"B12ms", "Azure B12ms (12 vCPU, 48 GiB, burstable)", 49152, 12000, 0.499, k_azure_source, 0},
    Row{"B16ms", "Azure B16ms (16 vCPU, 64 GiB, burstable)", 65536, 16000, 0.666, k_azure_source, 0},
    Row{"B20ms", "Azure B20ms (20 vCPU, 80 GiB, burstable)", 81920, 20000, 0.832, k_azure_source, 0},
    // Docker Desktop's VM gets 50% of host memory by default (Mac; WSL 2 also
    // defaults to 50%). Assumed host: 16 GiB and 8 logical CPUs, all of which
    // the VM may use. The -Ng variants are the memory slider set to N GiB;
    // "docker-desktop:6g" and "wsl2:32g" are resolved by MachineCatalog::resolve.
    Row{"docker-desktop", "Docker Desktop VM, default: 50% of an assumed 16 GiB host, 8 CPUs", 8192, 8000, -1,
        k_local_source, 0},
    Row{"docker-desktop-2g", "Docker Desktop VM with memory set to 2 GiB (8 CPUs assumed)", 2048, 8000, -1,
        k_local_source, 0},
    Row{"docker-desktop-4g", "Docker Desktop VM with memory set to 4 GiB (8 CPUs assumed)", 4096, 8000, -1,
        k_local_source, 0},
    Row{"docker-desktop-8g", "Docker Desktop VM with memory set to 8 GiB (8 CPUs assumed)", 8192, 8000, -1,
        k_local_source, 0},
    Row{"wsl2", "WSL 2 VM, default: 50% of an assumed 16 GiB Windows host, 8 CPUs", 8192, 8000, -1, k_local_source, 0},
    Row{"vm-1g", "Any VM with 1 GiB and 1 vCPU", 1024, 1000, -1, k_local_source, 0},
    Row{"vm-2g", "Any VM with 2 GiB and 2 vCPU", 2048, 2000, -1, k_local_source, 0},
    Row{"vm-4g", "Any VM with 4 GiB and 2 vCPU", 4096, 2000, -1, k_local_source, 0},
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
    if (r.price >= 0) {
      m.price_per_hour_usd = r.price;
      m.price_as_of = k_price_date;
    }
    m.price_source = r.source;
    m.os_reserve = default_os_reserve(m.memory);
    if (r.max_pods > 0) m.max_pods = r.max_pods;
    catalog.m_machines.push_back(std::move(m));
  }
  return catalog;
}

}  // namespace stackfit
