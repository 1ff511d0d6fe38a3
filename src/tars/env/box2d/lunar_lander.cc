#include "tars/env/box2d/lunar_lander.h"

#include <box2d/box2d.h>
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>
#include <optional>
#include <utility>

namespace tars::env {
namespace {

// Gymnasium's module constants (lengths in pixels unless divided by kScale).
constexpr int kFps = 50;
constexpr double kScale = 30.0;
constexpr double kMainEnginePower = 13.0;
constexpr double kSideEnginePower = 0.6;
constexpr double kInitialRandom = 1000.0;
constexpr std::array<std::array<double, 2>, 6> kLanderPoly = {
    {{-14, +17}, {-17, 0}, {-17, -10}, {+17, -10}, {+17, 0}, {+14, +17}}};
constexpr double kLegAway = 20;
constexpr double kLegDown = 18;
constexpr double kLegW = 2;
constexpr double kLegH = 8;
constexpr double kLegSpringTorque = 40;
constexpr double kSideEngineHeight = 14;
constexpr double kSideEngineAway = 12;
constexpr double kMainEngineYLocation = 4;
constexpr double kViewportW = 600;
constexpr double kViewportH = 400;
constexpr double kW = kViewportW / kScale;
constexpr double kH = kViewportH / kScale;
constexpr int kChunks = LunarLander::kTerrainPoints;

// world.Step(1.0 / FPS, 6 * 30, 2 * 30)
constexpr int kVelocityIterations = 6 * 30;
constexpr int kPositionIterations = 2 * 30;

constexpr std::uint16_t kGroundCategory = 0x0001;
constexpr std::uint16_t kLanderCategory = 0x0010;
constexpr std::uint16_t kLegCategory = 0x0020;

constexpr std::size_t kObservationSize = 8;
constexpr double kTwoPi = 2 * std::numbers::pi;

EnvSpec make_spec(const char* id, bool continuous) {
  EnvSpec spec;
  spec.id = id;
  spec.observation_space = Space::box({-2.5, -2.5, -10.0, -10.0, -kTwoPi, -10.0, -0.0, -0.0},
                                      {2.5, 2.5, 10.0, 10.0, kTwoPi, 10.0, 1.0, 1.0});
  spec.action_space = continuous ? Space::box({-1.0, -1.0}, {1.0, 1.0}) : Space::discrete(4);
  spec.max_episode_steps = LunarLander::kMaxEpisodeSteps;
  spec.reward_threshold = LunarLander::kRewardThreshold;
  return spec;
}

b2Vec2 vec(double x, double y) { return b2Vec2(static_cast<float>(x), static_cast<float>(y)); }

// tanh(sin(2 k x) + sin(pi k x)) with k = 0.01, in Gymnasium's operation order.
double wind_wave(std::int64_t index) {
  const double x = static_cast<double>(index);
  return std::tanh(std::sin(0.02 * x) + std::sin(std::numbers::pi * 0.01 * x));
}

}  // namespace

// The world and its bodies; also the contact listener, which sets the crash / leg-contact flags.
struct LunarLander::Physics final : b2ContactListener {
  void BeginContact(b2Contact* contact) override {
    const b2Body* a = contact->GetFixtureA()->GetBody();
    const b2Body* b = contact->GetFixtureB()->GetBody();
    if (a == lander || b == lander) game_over = true;
    for (int i = 0; i < 2; ++i) {
      if (a == legs[i] || b == legs[i]) leg_contact[i] = true;
    }
  }

  void EndContact(b2Contact* contact) override {
    const b2Body* a = contact->GetFixtureA()->GetBody();
    const b2Body* b = contact->GetFixtureB()->GetBody();
    for (int i = 0; i < 2; ++i) {
      if (a == legs[i] || b == legs[i]) leg_contact[i] = false;
    }
  }

  std::optional<b2World> world;
  b2Body* moon = nullptr;
  b2Body* lander = nullptr;
  std::array<b2Body*, 2> legs = {nullptr, nullptr};
  bool game_over = false;
  std::array<bool, 2> leg_contact = {false, false};
};

core::Status validate(const LunarLanderConfig& config) {
  // Written so that NaN fails too.
  if (!(config.gravity > -12.0 && config.gravity < 0.0)) {
    return core::invalid_argument(
        fmt::format("gravity must be between -12 and 0 (exclusive), got {}", config.gravity));
  }
  if (!std::isfinite(config.wind_power)) {
    return core::invalid_argument(
        fmt::format("wind_power must be a finite number, got {}", config.wind_power));
  }
  if (!std::isfinite(config.turbulence_power)) {
    return core::invalid_argument(
        fmt::format("turbulence_power must be a finite number, got {}", config.turbulence_power));
  }
  return {};
}

core::Expected<std::unique_ptr<Env>> LunarLander::make(const Kwargs& kwargs) {
  return make_with(kwargs, kId, false);
}

core::Expected<std::unique_ptr<Env>> LunarLander::make_continuous(const Kwargs& kwargs) {
  return make_with(kwargs, kContinuousId, true);
}

core::Expected<std::unique_ptr<Env>> LunarLander::make_with(const Kwargs& kwargs, const char* id,
                                                            bool continuous) {
  KwargReader reader(kwargs, id);
  LunarLanderConfig config;
  config.continuous = reader.get_bool("continuous", continuous);
  config.gravity = reader.get_number("gravity", config.gravity);
  config.enable_wind = reader.get_bool("enable_wind", config.enable_wind);
  config.wind_power = reader.get_number("wind_power", config.wind_power);
  config.turbulence_power = reader.get_number("turbulence_power", config.turbulence_power);
  if (core::Status status = reader.finish(); !status.ok()) return status;
  auto env = create(config, id);
  if (!env.ok()) return env.status();
  return std::unique_ptr<Env>(std::move(*env));
}

core::Expected<std::unique_ptr<LunarLander>> LunarLander::create(const LunarLanderConfig& config,
                                                                 const char* id) {
  if (core::Status status = validate(config); !status.ok()) {
    return core::invalid_argument(fmt::format("{}: {}", id, status.message()));
  }
  return std::unique_ptr<LunarLander>(new LunarLander(config, id));
}

LunarLander::LunarLander(const LunarLanderConfig& config, const char* id)
    : Env(make_spec(id, config.continuous)),
      config_(config),
      physics_(std::make_unique<Physics>()) {}

LunarLander::~LunarLander() = default;

core::Status LunarLander::reset_state(const ResetOptions& options) {
  if (!options.empty()) {
    return core::invalid_argument(fmt::format("{}: unknown reset option '{}' (it takes none)",
                                              spec().id, options.begin()->first));
  }
  Physics& p = *physics_;
  // A new world per reset, as Gymnasium v3 (a reused world is not deterministic, Gymnasium #728).
  p.world.reset();
  p.world.emplace(b2Vec2(0.0f, static_cast<float>(config_.gravity)));
  b2World& world = *p.world;
  world.SetContactListener(&p);
  p.game_over = false;
  p.leg_contact = {false, false};
  has_prev_shaping_ = false;
  prev_shaping_ = 0.0;

  // Terrain: 12 heights, the helipad flattened, then smoothed (i = 0 wraps to height[11]).
  std::array<double, kChunks + 1> height{};
  for (double& h : height) h = np_random().uniform(0.0, kH / 2);
  std::array<double, kChunks> chunk_x{};
  for (int i = 0; i < kChunks; ++i) chunk_x[i] = kW / (kChunks - 1) * i;
  helipad_y_ = kH / 4;
  for (int i = kChunks / 2 - 2; i <= kChunks / 2 + 2; ++i) height[i] = helipad_y_;
  std::array<double, kChunks>& smooth_y = terrain_y_;
  for (int i = 0; i < kChunks; ++i) {
    const double previous = i == 0 ? height[kChunks] : height[i - 1];  // Python's height[-1]
    smooth_y[i] = 0.33 * (previous + height[i] + height[i + 1]);
  }

  b2BodyDef moon_def;
  p.moon = world.CreateBody(&moon_def);
  b2EdgeShape bottom;
  bottom.SetTwoSided(vec(0, 0), vec(kW, 0));
  p.moon->CreateFixture(&bottom, 0.0f);
  for (int i = 0; i < kChunks - 1; ++i) {
    b2EdgeShape edge;
    edge.SetTwoSided(vec(chunk_x[i], smooth_y[i]), vec(chunk_x[i + 1], smooth_y[i + 1]));
    b2FixtureDef fixture;
    fixture.shape = &edge;
    fixture.density = 0.0f;
    fixture.friction = 0.1f;
    p.moon->CreateFixture(&fixture);
  }

  const double initial_x = kViewportW / kScale / 2;
  const double initial_y = kViewportH / kScale;
  b2BodyDef lander_def;
  lander_def.type = b2_dynamicBody;
  lander_def.position = vec(initial_x, initial_y);
  lander_def.angle = 0.0f;
  p.lander = world.CreateBody(&lander_def);
  std::array<b2Vec2, kLanderPoly.size()> vertices;
  for (std::size_t i = 0; i < kLanderPoly.size(); ++i) {
    vertices[i] = vec(kLanderPoly[i][0] / kScale, kLanderPoly[i][1] / kScale);
  }
  b2PolygonShape lander_shape;
  lander_shape.Set(vertices.data(), static_cast<int32>(vertices.size()));
  b2FixtureDef lander_fixture;
  lander_fixture.shape = &lander_shape;
  lander_fixture.density = 5.0f;
  lander_fixture.friction = 0.1f;
  lander_fixture.filter.categoryBits = kLanderCategory;
  lander_fixture.filter.maskBits = kGroundCategory;
  lander_fixture.restitution = 0.0f;
  p.lander->CreateFixture(&lander_fixture);

  const double push_x = np_random().uniform(-kInitialRandom, kInitialRandom);
  const double push_y = np_random().uniform(-kInitialRandom, kInitialRandom);
  p.lander->ApplyForceToCenter(vec(push_x, push_y), true);

  if (config_.enable_wind) {
    wind_idx_ = np_random().integers(-9999, 9999);
    torque_idx_ = np_random().integers(-9999, 9999);
  }

  for (int k = 0; k < 2; ++k) {
    const double i = k == 0 ? -1.0 : 1.0;
    b2BodyDef leg_def;
    leg_def.type = b2_dynamicBody;
    leg_def.position = vec(initial_x - i * kLegAway / kScale, initial_y);
    leg_def.angle = static_cast<float>(i * 0.05);
    b2Body* leg = world.CreateBody(&leg_def);
    b2PolygonShape leg_shape;
    leg_shape.SetAsBox(static_cast<float>(kLegW / kScale), static_cast<float>(kLegH / kScale));
    b2FixtureDef leg_fixture;  // friction stays at Box2D's default 0.2, as in Gymnasium
    leg_fixture.shape = &leg_shape;
    leg_fixture.density = 1.0f;
    leg_fixture.restitution = 0.0f;
    leg_fixture.filter.categoryBits = kLegCategory;
    leg_fixture.filter.maskBits = kGroundCategory;
    leg->CreateFixture(&leg_fixture);
    p.legs[k] = leg;

    b2RevoluteJointDef joint;
    joint.bodyA = p.lander;
    joint.bodyB = leg;
    joint.localAnchorA = vec(0, 0);
    joint.localAnchorB = vec(i * kLegAway / kScale, kLegDown / kScale);
    joint.enableMotor = true;
    joint.enableLimit = true;
    joint.maxMotorTorque = static_cast<float>(kLegSpringTorque);
    joint.motorSpeed = static_cast<float>(+0.3 * i);  // low enough not to jump back into the sky
    if (k == 0) {
      joint.lowerAngle = static_cast<float>(+0.9 - 0.5);
      joint.upperAngle = static_cast<float>(+0.9);
    } else {
      joint.lowerAngle = static_cast<float>(-0.9);
      joint.upperAngle = static_cast<float>(-0.9 + 0.5);
    }
    world.CreateJoint(&joint);
  }

  // Gymnasium's reset returns step(0)'s observation: one physics step and two dispersion draws.
  advance(Thrust{});
  return {};
}

StepResult LunarLander::step_discrete(std::int64_t action) {
  Thrust thrust;
  if (action == 2) thrust.main_power = 1.0;
  if (action == 1 || action == 3) {
    thrust.direction = static_cast<double>(action - 2);
    thrust.side_power = 1.0;
  }
  return advance(thrust);
}

StepResult LunarLander::step_continuous(std::span<const float> action) {
  const double main = std::clamp(static_cast<double>(action[0]), -1.0, 1.0);
  const double lateral = std::clamp(static_cast<double>(action[1]), -1.0, 1.0);
  Thrust thrust;
  if (main > 0.0) thrust.main_power = (std::clamp(main, 0.0, 1.0) + 1.0) * 0.5;
  if (std::abs(lateral) > 0.5) {
    thrust.direction = lateral > 0.0 ? 1.0 : -1.0;
    thrust.side_power = std::clamp(std::abs(lateral), 0.5, 1.0);
  }
  return advance(thrust);
}

void LunarLander::apply_wind() {
  Physics& p = *physics_;
  const double wind_mag = wind_wave(wind_idx_) * config_.wind_power;
  ++wind_idx_;
  p.lander->ApplyForceToCenter(vec(wind_mag, 0.0), true);
  const double torque_mag = wind_wave(torque_idx_) * config_.turbulence_power;
  ++torque_idx_;
  p.lander->ApplyTorque(static_cast<float>(torque_mag), true);
}

StepResult LunarLander::advance(const Thrust& thrust) {
  Physics& p = *physics_;
  b2Body& lander = *p.lander;
  if (config_.enable_wind && !(p.leg_contact[0] || p.leg_contact[1])) apply_wind();

  const double angle = lander.GetAngle();
  const double tip[2] = {std::sin(angle), std::cos(angle)};
  const double side[2] = {-tip[1], tip[0]};
  // Drawn every step, whether an engine fires or not.
  double dispersion[2];
  for (double& d : dispersion) d = np_random().uniform(-1.0, +1.0) / kScale;

  if (thrust.main_power > 0.0) {
    const double m_power = thrust.main_power;
    const double offset = kMainEngineYLocation / kScale + 2 * dispersion[0];
    const double ox = tip[0] * offset + side[0] * dispersion[1];
    const double oy = -tip[1] * offset - side[1] * dispersion[1];
    const b2Vec2 position = lander.GetPosition();
    lander.ApplyLinearImpulse(
        vec(-ox * kMainEnginePower * m_power, -oy * kMainEnginePower * m_power),
        vec(position.x + ox, position.y + oy), true);
  }

  if (thrust.side_power > 0.0) {
    const double s_power = thrust.side_power;
    const double lateral = 3 * dispersion[1] + thrust.direction * kSideEngineAway / kScale;
    const double ox = tip[0] * dispersion[0] + side[0] * lateral;
    const double oy = -tip[1] * dispersion[0] - side[1] * lateral;
    const b2Vec2 position = lander.GetPosition();
    // 17 where SIDE_ENGINE_HEIGHT (14) was presumably meant: a documented Gymnasium quirk that
    // makes the side-engine torque depend on the lander's orientation.
    lander.ApplyLinearImpulse(
        vec(-ox * kSideEnginePower * s_power, -oy * kSideEnginePower * s_power),
        vec(position.x + ox - tip[0] * 17 / kScale,
            position.y + oy + tip[1] * kSideEngineHeight / kScale),
        true);
  }

  p.world->Step(static_cast<float>(1.0 / kFps), kVelocityIterations, kPositionIterations);

  const b2Vec2 pos = lander.GetPosition();
  const b2Vec2 vel = lander.GetLinearVelocity();
  const std::array<double, kObservationSize> state = {
      (pos.x - kViewportW / kScale / 2) / (kViewportW / kScale / 2),
      (pos.y - (helipad_y_ + kLegDown / kScale)) / (kViewportH / kScale / 2),
      vel.x * (kViewportW / kScale / 2) / kFps,
      vel.y * (kViewportH / kScale / 2) / kFps,
      static_cast<double>(lander.GetAngle()),
      20.0 * lander.GetAngularVelocity() / kFps,
      p.leg_contact[0] ? 1.0 : 0.0,
      p.leg_contact[1] ? 1.0 : 0.0,
  };
  std::span<float> observation = observation_buffer();
  for (std::size_t i = 0; i < kObservationSize; ++i) observation[i] = static_cast<float>(state[i]);

  // Shaping: closer, slower and level is better; ten points per leg on the ground.
  const double shaping = -100 * std::sqrt(state[0] * state[0] + state[1] * state[1]) -
                         100 * std::sqrt(state[2] * state[2] + state[3] * state[3]) -
                         100 * std::abs(state[4]) + 10 * state[6] + 10 * state[7];
  StepResult result;
  if (has_prev_shaping_) result.reward = shaping - prev_shaping_;
  prev_shaping_ = shaping;
  has_prev_shaping_ = true;
  result.reward -= thrust.main_power * 0.30;
  result.reward -= thrust.side_power * 0.03;

  if (p.game_over || std::abs(state[0]) >= 1.0) {
    result.terminated = true;
    result.reward = -100;
  }
  if (!lander.IsAwake()) {  // at rest: checked last, so a resting crash still scores +100
    result.terminated = true;
    result.reward = +100;
  }
  return result;
}

}  // namespace tars::env
