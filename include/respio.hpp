// Everything respio offers, in one include. Internal code never includes this; users who care
// about compile time include what they use (respio/client.hpp, respio/commands/<group>.hpp, ...).
#ifndef RESPIO_HPP
#define RESPIO_HPP

#include <respio/adapt.hpp>
#include <respio/client.hpp>
#include <respio/cluster_client.hpp>
#include <respio/command.hpp>
#include <respio/command_info.hpp>
#include <respio/commands.hpp>
#include <respio/config.hpp>
#include <respio/error.hpp>
#include <respio/resp.hpp>
#include <respio/result.hpp>
#include <respio/sync_client.hpp>
#include <respio/types.hpp>
#include <respio/version.hpp>

#endif // RESPIO_HPP
